package dev.docstore.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.protobuf.ByteString;
import com.google.spanner.v1.BeginTransactionRequest;
import com.google.spanner.v1.CommitRequest;
import com.google.spanner.v1.ExecuteSqlRequest;
import com.google.spanner.v1.ReadRequest;
import com.google.spanner.v1.TransactionOptions;
import com.google.spanner.v1.TransactionSelector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RPC classification: the labels from the request messages, and the filters over them. */
class RpcCounterTest {
  private static final TransactionOptions RW = TransactionOptions.newBuilder()
      .setReadWrite(TransactionOptions.ReadWrite.getDefaultInstance()).build();

  @Test
  void rpcsAreLabelledWithTheirTransaction() {
    ExecuteSqlRequest inlineBegin = ExecuteSqlRequest.newBuilder()
        .setTransaction(TransactionSelector.newBuilder().setBegin(RW)).build();
    ExecuteSqlRequest inTx = ExecuteSqlRequest.newBuilder()
        .setTransaction(TransactionSelector.newBuilder().setId(ByteString.copyFromUtf8("t")))
        .build();
    ReadRequest singleUse = ReadRequest.newBuilder().setTransaction(TransactionSelector
        .newBuilder().setSingleUse(TransactionOptions.getDefaultInstance())).build();
    CommitRequest commit = CommitRequest.newBuilder()
        .setTransactionId(ByteString.copyFromUtf8("t")).build();
    CommitRequest blindWrite = CommitRequest.newBuilder().setSingleUseTransaction(RW).build();

    assertEquals("ExecuteStreamingSql[begin]", RpcCounter.label("ExecuteStreamingSql",
        inlineBegin));
    assertEquals("ExecuteStreamingSql[tx]", RpcCounter.label("ExecuteStreamingSql", inTx));
    assertEquals("StreamingRead[single-use]", RpcCounter.label("StreamingRead", singleUse));
    assertEquals("StreamingRead[single-use]", RpcCounter.label("StreamingRead",
        ReadRequest.getDefaultInstance()), "no selector is a single-use read");
    assertEquals("Commit[tx]", RpcCounter.label("Commit", commit));
    assertEquals("Commit[single-use]", RpcCounter.label("Commit", blindWrite));
    assertEquals("BeginTransaction[begin]", RpcCounter.label("BeginTransaction",
        BeginTransactionRequest.getDefaultInstance()));
    assertEquals("BatchCreateSessions", RpcCounter.label("BatchCreateSessions", "other"));

    List<String> calls = List.of("BatchCreateSessions", "StreamingRead[single-use]",
        "ExecuteStreamingSql[begin]", "Commit[tx]", "Commit[single-use]");
    assertEquals(List.of("ExecuteStreamingSql[begin]", "Commit[tx]"),
        RpcCounter.transactional(calls));
    assertEquals(4, RpcCounter.roundTrips(calls).size(), "session housekeeping excluded");
    assertEquals(List.of("BatchCreateSessions", "StreamingRead", "ExecuteStreamingSql",
        "Commit", "Commit"), RpcCounter.names(calls));
    assertFalse(RpcCounter.inTransaction("Commit[single-use]"));
  }
}
