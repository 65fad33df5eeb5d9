package dev.docstore.infra;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docstore.functions.EntryPoints;
import dev.docstore.functions.EntryPoints.EntryPoint;
import dev.docstore.api.Operation.Trigger;
import dev.docstore.infra.TerraformModel.Block;
import dev.docstore.infra.TerraformModel.Instance;
import dev.docstore.local.LocalServer;
import dev.docstore.local.ProjectFiles;
import dev.docstore.usage.AnalyticsDelivery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code infra/terraform} consistent with the code it deploys, without a terraform binary:
 * every .tf file is parsed with a real HCL parser ({@link Hcl2Json}) and the result is checked
 * against {@link EntryPoints#ALL}, the variables {@code Config} reads and {@code schema.sql}.
 */
class TerraformConsistencyTest {
  static final String FUNCTION_TYPE = "google_cloudfunctions2_function";
  static final String CONFIG_SOURCE = "functions/src/main/java/dev/docstore/config/Config.java";

  /** Variables Config reads that exist for development only: never set in production. */
  static final Set<String> DEVELOPMENT_ONLY =
      Set.of(
          "SPANNER_EMULATOR_HOST",
          "PUBSUB_EMULATOR_HOST",
          "STORAGE_EMULATOR_HOST",
          "FAILPOINTS_ENABLED",
          "FAILPOINTS");

  /** Invoker bindings on a function's service; a public member makes the function public. */
  static final Pattern INVOKER_BINDING =
      Pattern.compile(
          "google_(cloud_run_service|cloud_run_v2_service|cloudfunctions2_function)_iam_(member|binding)");
  static final Set<String> PUBLIC_MEMBERS = Set.of("allUsers", "allAuthenticatedUsers");
  static final Pattern FUNCTION_REFERENCE =
      Pattern.compile(FUNCTION_TYPE + "\\.(\\w+)\\[\\s*(?:(each\\.key)|\"([^\"]+)\")\\s*]");

  static Path root;
  static Path terraformDir;
  static Map<Path, String> sources;
  static TerraformModel terraform;
  /** Terraform's functions by their deployed name. */
  static Map<String, DeployedFunction> deployed;

  /** One function as Terraform deploys it. */
  record DeployedFunction(
      String name,
      String address,
      JsonNode entryPoint,
      String ingress,
      JsonNode environment,
      boolean eventTriggered) {}

  @BeforeAll
  static void parseTerraform() throws IOException, InterruptedException {
    root = ProjectFiles.root();
    terraformDir = root.resolve("infra/terraform");
    List<Path> files;
    try (Stream<Path> list = Files.list(terraformDir)) {
      files = list.filter(p -> p.toString().endsWith(".tf")).sorted().toList();
    }
    assertFalse(files.isEmpty(), "no .tf files in " + terraformDir);
    sources = new LinkedHashMap<>();
    for (Path file : files) {
      sources.put(file, Files.readString(file, StandardCharsets.UTF_8));
    }
    JsonNode parsed = new Hcl2Json(root.resolve("emulator-tests/target/hcl2json")).parse(files);
    terraform = new TerraformModel(parsed);
    deployed = new TreeMap<>();
    for (Block block : terraform.resourcesOfType(FUNCTION_TYPE)) {
      for (Instance fn : terraform.instances(block)) {
        String where = fn.address();
        String name = terraform.evaluate(block.body().get("name"), fn, where + ".name").asText();
        JsonNode entryPoint =
            terraform.evaluate(
                TerraformModel.attribute(block.body(), "build_config", "entry_point"),
                fn, where + ".build_config.entry_point");
        JsonNode ingress =
            terraform.evaluate(
                TerraformModel.attribute(block.body(), "service_config", "ingress_settings"),
                fn, where + ".service_config.ingress_settings");
        JsonNode environment =
            terraform.evaluate(
                TerraformModel.attribute(block.body(), "service_config", "environment_variables"),
                fn, where + ".service_config.environment_variables");
        DeployedFunction previous =
            deployed.put(
                name,
                new DeployedFunction(
                    name, where, entryPoint,
                    ingress == null ? "ALLOW_ALL" : ingress.asText(), // the provider's default
                    environment, hasEventTrigger(block, fn)));
        if (previous != null) {
          fail("two Terraform functions are named " + name + ": " + previous.address() + " and "
              + where);
        }
      }
    }
  }

  // --- a. the functions are the entry points -------------------------------------------------

  @Test
  void everyEntryPointIsDeployedUnderItsNameAndClass() {
    List<String> problems = new ArrayList<>();
    for (EntryPoint ep : EntryPoints.ALL) {
      DeployedFunction fn = deployed.get(ep.name());
      if (fn == null) {
        problems.add(ep.name() + " (" + ep.target().getName() + ") has no Terraform function;"
            + " add it to local.functions in infra/terraform/functions.tf");
      } else if (fn.entryPoint() == null || !ep.target().getName().equals(fn.entryPoint().asText())) {
        problems.add(fn.address() + " has entry_point " + fn.entryPoint() + ", the code has "
            + ep.target().getName());
      }
    }
    if (!problems.isEmpty()) {
      fail("EntryPoints.ALL and infra/terraform disagree:\n  " + String.join("\n  ", problems));
    }
  }

  @Test
  void everyTerraformFunctionIsAnEntryPoint() {
    Set<String> entryPoints = new TreeSet<>();
    EntryPoints.ALL.forEach(ep -> entryPoints.add(ep.name()));
    List<String> unknown = new ArrayList<>();
    deployed.values().forEach(fn -> {
      if (!entryPoints.contains(fn.name())) {
        unknown.add(fn.name() + " (" + fn.address() + ", entry_point " + fn.entryPoint() + ")");
      }
    });
    if (!unknown.isEmpty()) {
      fail("Terraform deploys functions that are not in dev.docstore.functions.EntryPoints.ALL"
          + " (a deployment whose class is missing fails to start):\n  "
          + String.join("\n  ", unknown));
    }
  }

  // --- b. public and private -----------------------------------------------------------------

  @Test
  void publicPrivateSplitMatchesEntryPointKinds() {
    Set<String> publicFunctions = functionsInvocableByEveryone();
    List<String> problems = new ArrayList<>();
    for (EntryPoint ep : EntryPoints.ALL) {
      DeployedFunction fn = deployed.get(ep.name());
      if (fn == null) {
        continue; // reported by everyEntryPointIsDeployedUnderItsNameAndClass
      }
      boolean isPublic = publicFunctions.contains(fn.name());
      switch (ep.trigger()) {
        case HTTP_PUBLIC -> {
          if (!isPublic) {
            problems.add(fn.name() + " is HTTP_PUBLIC but no allUsers roles/run.invoker binding"
                + " targets it");
          }
          if (!fn.ingress().equals("ALLOW_ALL")) {
            problems.add(fn.name() + " is HTTP_PUBLIC but its ingress is " + fn.ingress());
          }
        }
        case HTTP_PRIVATE, CLOUD_EVENT -> {
          if (isPublic) {
            problems.add(fn.name() + " is " + ep.trigger() + " but is granted to allUsers or"
                + " allAuthenticatedUsers");
          }
          if (!fn.ingress().equals("ALLOW_INTERNAL_ONLY")) {
            problems.add(fn.name() + " is " + ep.trigger() + " but its ingress is " + fn.ingress()
                + ", not ALLOW_INTERNAL_ONLY");
          }
        }
      }
      if ((ep.trigger() == Trigger.CLOUD_EVENT) != fn.eventTriggered()) {
        problems.add(fn.name() + " is " + ep.trigger() + (fn.eventTriggered()
            ? " but Terraform gives it an event_trigger" : " but Terraform gives it no event_trigger"));
      }
    }
    if (!problems.isEmpty()) {
      fail("the public/private split of infra/terraform does not match EntryPoints.Kind:\n  "
          + String.join("\n  ", problems));
    }
  }

  // --- c. the environment --------------------------------------------------------------------

  @Test
  void everyFunctionGetsTheProductionEnvironment() throws IOException {
    Set<String> read = variablesConfigReads();
    assertTrue(read.contains("GOOGLE_CLOUD_PROJECT") && read.containsAll(DEVELOPMENT_ONLY),
        "the scan of " + CONFIG_SOURCE + " for get(env, \"NAME\") / parse...(env, \"NAME\")"
            + " found " + read + "; if Config reads its variables differently now, update the scan"
            + " (and the development-only allowlist " + DEVELOPMENT_ONLY + ")");
    Set<String> required = new TreeSet<>(read);
    required.removeAll(DEVELOPMENT_ONLY);

    // Problem -> the functions that have it, so a shared environment map reports once.
    Map<String, Set<String>> problems = new LinkedHashMap<>();
    for (DeployedFunction fn : deployed.values()) {
      JsonNode env = fn.environment();
      if (env == null || !env.isObject()) {
        problems.computeIfAbsent("no service_config.environment_variables map",
            k -> new TreeSet<>()).add(fn.name());
        continue;
      }
      Set<String> set = new TreeSet<>();
      env.fieldNames().forEachRemaining(set::add);
      Set<String> missing = new TreeSet<>(required);
      missing.removeAll(set);
      if (!missing.isEmpty()) {
        problems.computeIfAbsent("lacks " + missing, k -> new TreeSet<>()).add(fn.name());
      }
      Set<String> forbidden = new TreeSet<>(set);
      forbidden.retainAll(DEVELOPMENT_ONLY);
      if (!forbidden.isEmpty()) {
        problems.computeIfAbsent("sets development-only " + forbidden + " (the functions refuse"
            + " to start with them outside the emulator)", k -> new TreeSet<>()).add(fn.name());
      }
      JsonNode authMode = env.get("AUTH_MODE");
      if (authMode == null || !authMode.asText().equals("firebase")) {
        problems.computeIfAbsent("has AUTH_MODE " + authMode + ", must be the literal"
            + " \"firebase\"", k -> new TreeSet<>()).add(fn.name());
      }
    }
    if (!problems.isEmpty()) {
      StringBuilder message = new StringBuilder("the functions' environment in infra/terraform"
          + " does not match what " + CONFIG_SOURCE + " reads " + required + ":");
      problems.forEach((problem, functions) -> message.append("\n  ")
          .append(functions.size() == deployed.size() ? "every function" : functions.toString())
          .append(' ').append(problem));
      fail(message.toString());
    }
  }

  /** Every function's JVM keeps a Content-Type as given, as the local server's does. */
  @Test
  void everyFunctionServesContentTypesAsGiven() {
    String option = "-D" + LocalServer.JETTY_STRICT_CONTENT_TYPE + "=true";
    Set<String> without = new TreeSet<>();
    for (DeployedFunction fn : deployed.values()) {
      JsonNode options = fn.environment() == null ? null
          : fn.environment().get("JAVA_TOOL_OPTIONS");
      if (options == null || !List.of(options.asText().split("\\s+")).contains(option)) {
        without.add(fn.name());
      }
    }
    assertTrue(without.isEmpty(), without + " lack JAVA_TOOL_OPTIONS " + option
        + " (LocalServer): Jetty would rewrite a version's Content-Type");
  }

  // --- d. the schema is referenced, not copied -----------------------------------------------

  @Test
  void databaseDdlIsReadFromSchemaSql() {
    Pattern fileCall = Pattern.compile("file\\(\\s*\"[^\"]*\\.\\./spanner/schema\\.sql\"\\s*\\)");
    List<String> callers = new ArrayList<>();
    terraform.locals.forEach((name, value) -> {
      if (value.isTextual() && fileCall.matcher(value.asText()).find()) {
        callers.add("local." + name);
      }
    });
    terraform.resources.forEach(block -> {
      if (fileCall.matcher(block.body().toString().replace("\\\"", "\"")).find()) {
        callers.add(block.address());
      }
    });
    if (callers.isEmpty()) {
      fail("no .tf file calls file(\"${path.module}/../spanner/schema.sql\"): the database DDL"
          + " must come from infra/spanner/schema.sql, the one DDL");
    }

    List<Block> databases = terraform.resourcesOfType("google_spanner_database");
    assertFalse(databases.isEmpty(), "infra/terraform has no google_spanner_database");
    for (Block db : databases) {
      JsonNode ddl = db.body().get("ddl");
      if (!TerraformModel.isExpression(ddl)) {
        fail(db.address() + ".ddl must be computed from schema.sql (e.g. local.schema_statements),"
            + " not written out: " + ddl);
      }
    }
  }

  @Test
  void noTerraformFileCopiesTheDdl() {
    Pattern ddl = Pattern.compile(
        "(?i)\\bCREATE\\s+(TABLE|(UNIQUE\\s+|NULL_FILTERED\\s+)*INDEX)\\b");
    List<String> copies = new ArrayList<>();
    sources.forEach((file, text) -> {
      Matcher m = ddl.matcher(text);
      if (m.find()) {
        copies.add(root.relativize(file) + ": \"" + m.group() + "\"");
      }
    });
    if (!copies.isEmpty()) {
      fail("DDL copied into Terraform; infra/spanner/schema.sql is the one DDL:\n  "
          + String.join("\n  ", copies));
    }
  }

  // --- e. a message that keeps failing ends on the dead-letter topic --------------------------

  @Test
  void aMessageThatKeepsFailingEndsOnTheDeadLetterTopic() {
    List<String> problems = new ArrayList<>();
    Block functions = terraform.resourcesOfType(FUNCTION_TYPE).get(0);
    JsonNode content = TerraformModel.attribute(functions.body(), "dynamic", "event_trigger",
        "content");
    if (content == null) {
      fail(functions.address() + " has no dynamic event_trigger content");
    }
    JsonNode trigger = content.isArray() ? content.path(0) : content;
    expect(problems, trigger, "retry_policy", "RETRY_POLICY_RETRY",
        "without it Eventarc acknowledges a failed delivery: no retry, no dead-lettering");
    expect(problems, trigger, "event_type", AnalyticsDelivery.MESSAGE_PUBLISHED,
        "the CloudEvent type analyticsSubscriber accepts");

    List<Block> policies = terraform.resourcesOfType("terraform_data").stream()
        .filter(b -> b.name().equals("analytics_dead_letter_policy")).toList();
    if (policies.size() != 1) {
      fail("no terraform_data.analytics_dead_letter_policy sets the dead-letter policy on"
          + " Eventarc's subscription");
    }
    JsonNode policy = policies.get(0).body();
    JsonNode env = TerraformModel.attribute(policy, "provisioner", "local-exec", "environment");
    String command = text(TerraformModel.attribute(policy, "provisioner", "local-exec",
        "command"));
    String deadLetter = reference(env, "DEAD_LETTER", "google_pubsub_topic\\.(\\w+)\\.id",
        problems);
    reference(env, "TRIGGER", Pattern.quote(FUNCTION_TYPE + ".function[\"analyticsSubscriber\"]"
        + ".event_trigger[0].trigger"), problems);
    reference(env, "ATTEMPTS", "var\\.dead_letter_max_delivery_attempts", problems);
    reference(env, "PUBSUB_AGENT", "local\\.pubsub_service_agent", problems);
    for (String step : List.of("transport.pubsub.subscription",
        "--dead-letter-topic \"$DEAD_LETTER\"", "--max-delivery-attempts \"$ATTEMPTS\"",
        "--min-retry-delay", "--max-retry-delay", "--ack-deadline",
        "add-iam-policy-binding \"$subscription\"", "serviceAccount:$PUBSUB_AGENT",
        "--role roles/pubsub.subscriber")) {
      if (!command.contains(step)) {
        problems.add("the dead-letter policy's command lacks `" + step + "`");
      }
    }
    String agent = text(terraform.locals.get("pubsub_service_agent"));
    if (!agent.contains("@gcp-sa-pubsub.iam.gserviceaccount.com")) {
      problems.add("local.pubsub_service_agent is not the Pub/Sub service agent: " + agent);
    }
    if (deadLetter != null) {
      String topicRef = "google_pubsub_topic." + deadLetter + ".";
      boolean subscribed = terraform.resourcesOfType("google_pubsub_subscription").stream()
          .anyMatch(b -> text(b.body().get("topic")).contains(topicRef));
      if (!subscribed) {
        problems.add("the dead-letter topic " + deadLetter + " has no subscription: a topic"
            + " without one drops what the service agent forwards");
      }
      boolean forwarder = terraform.resourcesOfType("google_pubsub_topic_iam_member").stream()
          .anyMatch(b -> text(b.body().get("topic")).contains(topicRef)
              && text(b.body().get("role")).equals("roles/pubsub.publisher")
              && text(b.body().get("member")).contains("local.pubsub_service_agent"));
      if (!forwarder) {
        problems.add("the Pub/Sub service agent may not publish to the dead-letter topic "
            + deadLetter);
      }
      String dependsOn = text(policy.get("depends_on"));
      if (!dependsOn.contains("google_pubsub_subscription.")) {
        problems.add("the dead-letter policy is set before the dead-letter subscription exists");
      }
    }
    if (!problems.isEmpty()) {
      fail("a message analyticsSubscriber keeps failing does not reach the dead-letter topic:\n  "
          + String.join("\n  ", problems));
    }
  }

  private static void expect(List<String> problems, JsonNode block, String attribute,
      String value, String why) {
    String actual = text(block.get(attribute));
    if (!actual.equals(value)) {
      problems.add("event_trigger." + attribute + " is `" + actual + "`, not " + value + " (" + why
          + ")");
    }
  }

  /** The name captured by {@code pattern} in the environment variable's expression, or null. */
  private static String reference(JsonNode env, String variable, String pattern,
      List<String> problems) {
    String expression = text(env == null ? null : env.get(variable));
    Matcher m = Pattern.compile("\\$\\{\\s*(?:tostring\\()?" + pattern).matcher(expression);
    if (!m.find()) {
      problems.add("the dead-letter policy's " + variable + " is `" + expression + "`, not a"
          + " reference matching " + pattern);
      return null;
    }
    return m.groupCount() > 0 ? m.group(1) : m.group();
  }

  private static String text(JsonNode node) {
    return node == null ? "" : node.isTextual() ? node.asText() : node.toString();
  }

  // --- f. Cloud Scheduler runs the private functions, each as an account of its own ----------

  static final String SCHEDULER_JOB_TYPE = "google_cloud_scheduler_job";
  static final String INVOKER_ROLE = "roles/run.invoker";
  static final Pattern FUNCTION_URI = Pattern.compile("^\\$\\{\\s*" + FUNCTION_TYPE
      + "\\.(\\w+)\\[\\s*\"([^\"]+)\"\\s*]\\.service_config\\[0]\\.uri\\s*}$");
  static final Pattern ACCOUNT_EMAIL =
      Pattern.compile("^\\$\\{\\s*google_service_account\\.(\\w+)\\.email\\s*}$");
  /** A member naming a service account of the module, either way Terraform can write it. */
  static final Pattern ACCOUNT_MEMBER = Pattern.compile("^(?:\\$\\{\\s*google_service_account"
      + "\\.(\\w+)\\.member\\s*}|serviceAccount:\\$\\{\\s*google_service_account\\.(\\w+)"
      + "\\.email\\s*})$");
  static final Pattern VARIABLE = Pattern.compile("^\\$\\{\\s*var\\.(\\w+)\\s*}$");
  /** A cron minute and hour that each name one value: once a day. */
  static final Pattern DAILY = Pattern.compile("^\\d{1,2} \\d{1,2} \\* \\* \\*$");
  static final Pattern EVERY_MINUTE = Pattern.compile("^(\\*|\\*/1) \\* \\* \\* \\*$");

  @Test
  void schedulerRunsEachPrivateFunctionAsAnAccountThatAloneMayInvokeIt() {
    List<String> problems = new ArrayList<>();
    Map<String, Pattern> cadences = new TreeMap<>(Map.of(
        "publishOutbox", EVERY_MINUTE, "purgeTrash", DAILY));
    Map<String, String> accounts = new TreeMap<>();
    for (Map.Entry<String, Pattern> cadence : cadences.entrySet()) {
      String function = cadence.getKey();
      List<Block> jobs = terraform.resourcesOfType(SCHEDULER_JOB_TYPE).stream()
          .filter(job -> function.equals(functionOfUri(TerraformModel.attribute(job.body(),
              "http_target", "uri")))).toList();
      if (jobs.size() != 1 || !Path.of(jobs.get(0).file()).endsWith("scheduler.tf")) {
        problems.add(function + " has " + jobs.stream().map(Block::address).toList()
            + " as its Cloud Scheduler jobs, not exactly one in scheduler.tf");
        continue;
      }
      Block job = jobs.get(0);
      String schedule = resolved(job.body().get("schedule")).strip().replaceAll("\\s+", " ");
      if (!cadence.getValue().matcher(schedule).matches()) {
        problems.add(job.address() + " runs on `" + schedule + "`, not "
            + (cadence.getValue() == DAILY ? "daily" : "every minute"));
      }
      String method = text(TerraformModel.attribute(job.body(), "http_target", "http_method"));
      if (!method.isEmpty() && !method.equals("POST")) {
        problems.add(job.address() + " sends " + method + "; " + function + " takes POST");
      }
      JsonNode oidc = TerraformModel.attribute(job.body(), "http_target", "oidc_token");
      Matcher account = ACCOUNT_EMAIL.matcher(text(TerraformModel.attribute(oidc,
          "service_account_email")));
      if (oidc == null || !account.matches()) {
        problems.add(job.address() + " sends no OIDC token of a google_service_account of the"
            + " module: " + oidc);
        continue;
      }
      JsonNode audience = TerraformModel.attribute(oidc, "audience");
      if (audience != null && !function.equals(functionOfUri(audience))) {
        problems.add(job.address() + "'s token is for `" + text(audience) + "`, not "
            + function + "'s URL, the audience its service checks");
      }
      accounts.put(function, account.group(1));
    }
    Set<String> distinct = new TreeSet<>(accounts.values());
    if (distinct.size() != accounts.size()) {
      problems.add("the scheduler jobs share a service account " + accounts + ": a token of"
          + " one job would reach the other's function");
    }
    String trigger = eventTriggerAccount("analyticsSubscriber");
    if (trigger == null) {
      problems.add("analyticsSubscriber's event_trigger names no google_service_account");
    } else {
      accounts.put("analyticsSubscriber", trigger);
    }
    Set<String> functionAccounts = functionAccounts();
    Map<String, List<Grant>> grants = grantsByFunction();
    accounts.forEach((function, sa) -> {
      if (terraform.resourcesOfType("google_service_account").stream()
          .noneMatch(b -> b.name().equals(sa))) {
        problems.add(function + "'s caller google_service_account." + sa + " is not defined");
      }
      if (functionAccounts.contains(sa)) {
        problems.add(function + " is called as google_service_account." + sa + ", which the"
            + " functions also build or run as");
      }
      List<Grant> onFunction = grants.getOrDefault(function, List.of());
      List<String> expected = List.of(INVOKER_ROLE + " " + sa);
      List<String> actual = onFunction.stream()
          .map(g -> g.role() + " " + accountOfMember(g.member())).toList();
      if (!actual.equals(expected)) {
        problems.add(function + " grants " + actual + ", not only " + expected);
      }
      grants.forEach((elsewhere, list) -> list.stream()
          .filter(g -> !elsewhere.equals(function) && sa.equals(accountOfMember(g.member())))
          .forEach(g -> problems.add(g.address() + " lets " + function + "'s caller " + sa
              + " reach " + elsewhere + " too")));
    });
    terraform.resources.stream()
        .filter(b -> b.type().matches("google_project_iam_(member|binding)"))
        .filter(b -> Set.of(INVOKER_ROLE, "roles/cloudfunctions.invoker")
            .contains(text(b.body().get("role"))))
        .forEach(b -> problems.add(b.address() + " grants an invoker role on the whole"
            + " project: every function"));
    if (!problems.isEmpty()) {
      fail("Cloud Scheduler and Eventarc do not each reach only their function:\n  "
          + String.join("\n  ", problems));
    }
  }

  /** The name of the function whose URL the expression is, or null. */
  private static String functionOfUri(JsonNode uri) {
    Matcher m = FUNCTION_URI.matcher(text(uri).strip());
    if (!m.matches()) {
      return null;
    }
    String address = FUNCTION_TYPE + "." + m.group(1) + "[\"" + m.group(2) + "\"]";
    return deployed.values().stream().filter(fn -> fn.address().equals(address))
        .map(DeployedFunction::name).findFirst().orElse(null);
  }

  /** A literal as it is, a variable's reference as its default. */
  private static String resolved(JsonNode value) {
    Matcher m = VARIABLE.matcher(text(value).strip());
    if (!m.matches()) {
      return text(value);
    }
    JsonNode fallback = terraform.variableDefaults.get(m.group(1));
    return fallback == null ? "" : fallback.asText();
  }

  /** The account a member names, or the member as written when it names none of the module's. */
  private static String accountOfMember(String member) {
    Matcher m = ACCOUNT_MEMBER.matcher(member.strip());
    return !m.matches() ? member : m.group(1) != null ? m.group(1) : m.group(2);
  }

  /** The account the function's Eventarc trigger pushes as, or null. */
  private static String eventTriggerAccount(String function) {
    Block block = terraform.resourcesOfType(FUNCTION_TYPE).get(0);
    JsonNode content = TerraformModel.attribute(block.body(), "dynamic", "event_trigger",
        "content");
    Matcher m = ACCOUNT_EMAIL.matcher(text(TerraformModel.attribute(content,
        "service_account_email")).strip());
    return deployed.get(function) != null && deployed.get(function).eventTriggered()
        && m.matches() ? m.group(1) : null;
  }

  /** The accounts the functions are built and run as. */
  private static Set<String> functionAccounts() {
    Block block = terraform.resourcesOfType(FUNCTION_TYPE).get(0);
    Matcher m = Pattern.compile("google_service_account\\.(\\w+)\\.")
        .matcher(text(block.body().get("build_config")) + text(block.body().get("service_config")));
    Set<String> accounts = new TreeSet<>();
    while (m.find()) {
      accounts.add(m.group(1));
    }
    return accounts;
  }

  // --- helpers -------------------------------------------------------------------------------

  /** The variable names Config.fromEnv reads: get(env, "NAME") and parse...(env, "NAME". */
  static Set<String> variablesConfigReads() throws IOException {
    String source = Files.readString(root.resolve(CONFIG_SOURCE), StandardCharsets.UTF_8);
    Matcher m =
        Pattern.compile("\\b(?:get|parse\\w*)\\(\\s*env\\s*,\\s*\"([A-Z][A-Z0-9_]*)\"")
            .matcher(source);
    Set<String> names = new TreeSet<>();
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** Names of the functions some invoker binding opens to allUsers or allAuthenticatedUsers. */
  static Set<String> functionsInvocableByEveryone() {
    Set<String> open = new TreeSet<>();
    grantsByFunction().forEach((name, grants) -> {
      if (grants.stream().anyMatch(g -> PUBLIC_MEMBERS.contains(g.member()))) {
        open.add(name);
      }
    });
    return open;
  }

  /** One member a binding on a function's service grants a role to. */
  record Grant(String address, String role, String member) {}

  /**
   * Every grant of every IAM binding on a function's service, by the function's name. A binding
   * whose target is no function is a failure: every service here is one.
   */
  static Map<String, List<Grant>> grantsByFunction() {
    Map<String, String> nameByAddress = new LinkedHashMap<>();
    for (Block block : terraform.resourcesOfType(FUNCTION_TYPE)) {
      for (Instance fn : terraform.instances(block)) {
        nameByAddress.put(fn.address(),
            terraform.evaluate(block.body().get("name"), fn, fn.address()).asText());
      }
    }
    Map<String, List<Grant>> grants = new TreeMap<>();
    for (Block block : terraform.resources) {
      if (!INVOKER_BINDING.matcher(block.type()).matches()) {
        continue;
      }
      for (Instance binding : terraform.instances(block)) {
        List<String> members = new ArrayList<>();
        JsonNode member = block.body().get("member");
        if (member != null) {
          members.add(memberOf(member, binding));
        }
        JsonNode memberList = block.body().get("members");
        if (memberList != null) {
          memberList.forEach(m -> members.add(m.asText()));
        }
        String target = targetOf(block.body());
        Matcher ref = target == null ? null : FUNCTION_REFERENCE.matcher(target);
        if (ref == null || !ref.find()) {
          fail(binding.address() + " grants " + target + " to " + members
              + ", which is not a reference to one of the " + FUNCTION_TYPE + " resources");
        }
        String key = ref.group(2) != null ? binding.key() : ref.group(3);
        String address = FUNCTION_TYPE + "." + ref.group(1) + "[\"" + key + "\"]";
        String name = nameByAddress.get(address);
        if (name == null) {
          fail(binding.address() + " targets " + address + ", which Terraform does not define");
        }
        String role = text(block.body().get("role"));
        members.forEach(m -> grants.computeIfAbsent(name, k -> new ArrayList<>())
            .add(new Grant(binding.address(), role, m)));
      }
    }
    return grants;
  }

  /**
   * A binding's member: evaluated where the model can, else its expression as written (a
   * reference such as google_service_account.x.member is never allUsers).
   */
  private static String memberOf(JsonNode member, Instance binding) {
    try {
      return terraform.evaluate(member, binding, binding.address() + ".member").asText();
    } catch (TerraformModel.Unevaluable e) {
      return member.asText();
    }
  }

  private static String targetOf(JsonNode body) {
    for (String attribute : List.of("service", "name", "cloud_function")) {
      JsonNode value = body.get(attribute);
      if (value != null) {
        return value.asText();
      }
    }
    return null;
  }

  private static boolean hasEventTrigger(Block block, Instance fn) {
    if (block.body().has("event_trigger")) {
      return true;
    }
    JsonNode dynamic = block.body().path("dynamic").get("event_trigger");
    if (dynamic == null) {
      return false;
    }
    for (Iterator<JsonNode> it = dynamic.elements(); it.hasNext(); ) {
      JsonNode forEach = it.next().get("for_each");
      JsonNode collection =
          terraform.evaluate(forEach, fn, fn.address() + ".dynamic.event_trigger.for_each");
      if (collection != null && collection.size() > 0) {
        return true;
      }
    }
    return false;
  }
}
