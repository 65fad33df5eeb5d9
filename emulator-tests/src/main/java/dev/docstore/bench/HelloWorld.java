package dev.docstore.bench;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.io.IOException;

/** The cold-start floor: a function that reads nothing, builds nothing and answers 200. */
public final class HelloWorld implements HttpFunction {
  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    response.setContentType("text/plain");
    response.getWriter().write("hello");
  }
}
