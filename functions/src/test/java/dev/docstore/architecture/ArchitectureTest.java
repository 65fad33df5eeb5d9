package dev.docstore.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.google.cloud.spanner.KeySet;
import com.google.cloud.spanner.Mutation;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The package graph of the deployable jar points one way, down:
 *
 * <pre>
 *   functions → app → http, auth → versions → documents → write   (usage → write too)
 *     → idempotency, outbox → store → failure → failpoints → input, logging, config → api
 * </pre>
 *
 * Each rule names what it enforces; a forbidden import fails the build with the offending class
 * and line.
 */
class ArchitectureTest {
  private static final String BASE = "dev.docstore";
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
      .importPackages(BASE);

  @Test
  void noPackageCycle() {
    check(slices().matching(BASE + ".(*)..").should().beFreeOfCycles()
        .as("no package cycle in dev.docstore"));
  }

  @Test
  void layersOnlyPointDown() {
    check(layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("functions").definedBy(pkg("functions"))
        .layer("app").definedBy(pkg("app"))
        .layer("http").definedBy(pkg("http"))
        .layer("auth").definedBy(pkg("auth"))
        .layer("versions").definedBy(pkg("versions"))
        .layer("documents").definedBy(pkg("documents"))
        .layer("usage").definedBy(pkg("usage"))
        .layer("write").definedBy(pkg("write"))
        .layer("idempotency").definedBy(pkg("idempotency"))
        .layer("outbox").definedBy(pkg("outbox"))
        .layer("store").definedBy(pkg("store"))
        .layer("failure").definedBy(pkg("failure"))
        .layer("failpoints").definedBy(pkg("failpoints"))
        .layer("input").definedBy(pkg("input"))
        .whereLayer("functions").mayNotBeAccessedByAnyLayer()
        .whereLayer("app").mayOnlyBeAccessedByLayers("functions")
        .whereLayer("http").mayOnlyBeAccessedByLayers("app")
        .whereLayer("auth").mayOnlyBeAccessedByLayers("http", "app")
        .whereLayer("versions").mayOnlyBeAccessedByLayers("http", "app")
        .whereLayer("documents").mayOnlyBeAccessedByLayers("versions", "http", "app")
        .whereLayer("usage").mayOnlyBeAccessedByLayers("http", "app")
        .whereLayer("write")
        .mayOnlyBeAccessedByLayers("versions", "documents", "usage", "http", "app")
        .whereLayer("idempotency").mayOnlyBeAccessedByLayers("write", "http", "app")
        .whereLayer("outbox").mayOnlyBeAccessedByLayers("write", "usage", "http", "app")
        .whereLayer("store").mayOnlyBeAccessedByLayers("idempotency", "outbox", "write",
            "versions", "documents", "usage", "app")
        .whereLayer("failure").mayOnlyBeAccessedByLayers("outbox", "write", "usage", "http")
        .whereLayer("failpoints").mayOnlyBeAccessedByLayers("failure", "write", "app")
        .whereLayer("input").mayOnlyBeAccessedByLayers("idempotency", "outbox", "write",
            "versions", "documents", "usage", "http", "auth")
        .as("layers only point down: functions → app → http, auth → versions → documents"
            + " (usage beside them) → write → idempotency, outbox → store → failure"
            + " → failpoints → input"));
  }

  @Test
  void theVocabularyDependsOnTheJdkOnly() {
    check(classes().that().resideInAPackage(pkg("api"))
        .should().onlyDependOnClassesThat().resideInAnyPackage(pkg("api"), "java..")
        .as("api (caller, typed errors, operation catalog) depends on the JDK only"));
  }

  @Test
  void configAndLoggingSitBelowEverything() {
    for (String leaf : new String[] {"config", "logging"}) {
      check(classes().that().resideInAPackage(pkg(leaf))
          .should().onlyDependOnClassesThat(resideOutsideOfPackage(BASE + "..")
              .or(resideInAPackage(pkg(leaf))))
          .as(leaf + " depends on no other docstore package"));
    }
  }

  @Test
  void onlyTheStoreSpeaksSql() {
    check(noClasses().that().resideOutsideOfPackage(pkg("store"))
        .should().dependOnClassesThat().haveFullyQualifiedName("com.google.cloud.spanner.Statement")
        .orShould().dependOnClassesThat()
        .haveFullyQualifiedName("com.google.cloud.spanner.Statement$Builder")
        .orShould().dependOnClassesThat()
        .haveFullyQualifiedName("com.google.cloud.spanner.ResultSet")
        .orShould().dependOnClassesThat()
        .haveFullyQualifiedName("com.google.cloud.spanner.ReadContext")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("com.google.cloud.spanner.Key")
        .orShould().dependOnClassesThat()
        .haveFullyQualifiedName("com.google.cloud.spanner.KeySet")
        .orShould().dependOnClassesThat()
        .haveFullyQualifiedName("com.google.cloud.spanner.KeyRange")
        .orShould().dependOnClassesThat()
        .haveFullyQualifiedName("com.google.cloud.spanner.Mutation$WriteBuilder")
        .orShould().callMethod(Mutation.class, "delete", String.class, KeySet.class)
        .as("only the store package writes SQL, builds mutations, reads keys or reads result"
            + " sets (others pass the store's mutations along)"));
  }

  @Test
  void onlyTheStoreTheWriteShapeAndTheRootHoldTheDatabaseClient() {
    check(noClasses().that().resideOutsideOfPackages(pkg("store"), pkg("write"), pkg("app"))
        .should().dependOnClassesThat()
        .haveFullyQualifiedName("com.google.cloud.spanner.DatabaseClient")
        .as("only store, write (its one transaction) and app (which builds it) hold the"
            + " DatabaseClient"));
  }

  @Test
  void theDomainSpeaksNoHttp() {
    check(noClasses().that().resideInAnyPackage(pkg("api"), pkg("input"), pkg("store"),
            pkg("idempotency"), pkg("outbox"), pkg("write"), pkg("documents"), pkg("versions"),
            pkg("usage"), pkg("failure"), pkg("failpoints"))
        .should().dependOnClassesThat().resideInAPackage("com.google.cloud.functions..")
        .as("below http and auth, nothing knows the functions framework's HTTP types"));
  }

  @Test
  void functionClassesOnlyDelegate() {
    check(classes().that().resideInAPackage(pkg("functions"))
        .and().doNotHaveSimpleName("EntryPoints")
        .and().areTopLevelClasses()
        .should().onlyDependOnClassesThat().resideInAnyPackage("java..",
            "com.google.cloud.functions..", "io.cloudevents..", pkg("app"), pkg("api"))
        .as("a function class is a one-line delegation to the composition root"));
  }

  private static String pkg(String name) {
    return BASE + "." + name + "..";
  }

  private static void check(ArchRule rule) {
    rule.check(MAIN);
  }
}
