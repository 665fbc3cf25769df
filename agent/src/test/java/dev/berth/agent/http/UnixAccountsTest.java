package dev.berth.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixAccountsTest {
  @TempDir Path etc;

  private UnixAccounts accounts() throws IOException {
    Files.writeString(
        etc.resolve("passwd"),
        "root:x:0:0:root:/root:/bin/bash\n"
            + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
            + "alice:x:1000:1000::/home/alice:/bin/sh\n"
            + "# a comment\n\n");
    Files.writeString(
        etc.resolve("group"),
        "root:x:0:\nnogroup:x:65534:\nalice:x:1000:\nberth:x:990:bob, alice\nops:x:991:bob\n");
    return UnixAccounts.read(etc);
  }

  @Test
  void aUsersUidIsItsEntrysAndANumericNameIsItself() throws IOException {
    UnixAccounts accounts = accounts();
    assertThat(accounts.uid("nobody")).isEqualTo(OptionalInt.of(65534));
    assertThat(accounts.uid("root")).isEqualTo(OptionalInt.of(0));
    assertThat(accounts.uid("4242")).isEqualTo(OptionalInt.of(4242));
    assertThat(accounts.uid("mallory")).isEmpty();
  }

  @Test
  void groupsAreThePrimaryAndThoseThatListTheUser() throws IOException {
    UnixAccounts accounts = accounts();
    assertThat(accounts.groupsOf("alice", "alice")).containsExactlyInAnyOrder("alice", "berth");
    assertThat(accounts.groupsOf("bob", "users"))
        .containsExactlyInAnyOrder("users", "berth", "ops");
    assertThat(accounts.groupsOf("nobody", "nogroup")).containsExactly("nogroup");
    assertThat(accounts.hasGroup("berth")).isTrue();
    assertThat(accounts.gid("ops")).isEqualTo(OptionalInt.of(991));
  }

  @Test
  void aHugeDatabaseIsNotRead() throws IOException {
    Files.write(etc.resolve("group"), new byte[UnixAccounts.MAX_FILE + 1]);
    assertThatThrownBy(() -> UnixAccounts.read(etc))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("larger than 4 MiB");
  }
}
