package dev.docstore.usage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.Date;
import dev.docstore.api.Caller;
import dev.docstore.api.InvalidRequest;
import dev.docstore.store.UsageStore;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** getUsage: the tenant's daily API usage, as analyticsSubscriber aggregated it. */
public final class UsageReads {
  private static final long MAX_DAYS = 366;

  private final UsageStore usage;

  public UsageReads(UsageStore usage) {
    this.usage = usage;
  }

  public ObjectNode getUsage(Caller caller, String from, String to) {
    LocalDate start = day("from", from);
    LocalDate end = day("to", to);
    if (end.isBefore(start)) {
      throw new InvalidRequest("'to' must not be before 'from'");
    }
    if (ChronoUnit.DAYS.between(start, end) >= MAX_DAYS) {
      throw new InvalidRequest("ask for at most 366 days at a time, both days included");
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ArrayNode days = body.putArray("days");
    for (UsageStore.DailyCount count : usage.usage(caller.tenantId(), date(start), date(end))) {
      ObjectNode day = days.addObject();
      day.put("day", count.day().toString());
      day.put("operation", count.operation());
      day.put("count", count.count());
    }
    return body;
  }

  private static LocalDate day(String name, String value) {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new InvalidRequest("'" + name + "' must be a date YYYY-MM-DD");
    }
  }

  private static Date date(LocalDate day) {
    return Date.fromYearMonthDay(day.getYear(), day.getMonthValue(), day.getDayOfMonth());
  }
}
