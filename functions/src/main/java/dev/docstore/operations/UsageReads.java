package dev.docstore.operations;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.Date;
import dev.docstore.app.Docstore;
import dev.docstore.auth.Caller;
import dev.docstore.http.ApiException;
import dev.docstore.outbox.UsageStore;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** getUsage: the tenant's daily API usage, as analyticsSubscriber aggregated it. */
public final class UsageReads {
  private static final long MAX_DAYS = 366;

  private final Docstore app;

  public UsageReads(Docstore app) {
    this.app = app;
  }

  public ObjectNode getUsage(Caller caller, String from, String to) {
    LocalDate start = day("from", from);
    LocalDate end = day("to", to);
    if (end.isBefore(start)) {
      throw ApiException.invalid("'to' must not be before 'from'");
    }
    if (ChronoUnit.DAYS.between(start, end) >= MAX_DAYS) {
      throw ApiException.invalid("ask for at most 366 days at a time");
    }
    ObjectNode body = app.json().createObjectNode();
    ArrayNode days = body.putArray("days");
    for (UsageStore.DailyCount count : new UsageStore(app.databaseClient())
        .usage(caller.tenantId(), date(start), date(end))) {
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
      throw ApiException.invalid("'" + name + "' must be a date YYYY-MM-DD");
    }
  }

  private static Date date(LocalDate day) {
    return Date.fromYearMonthDay(day.getYear(), day.getMonthValue(), day.getDayOfMonth());
  }
}
