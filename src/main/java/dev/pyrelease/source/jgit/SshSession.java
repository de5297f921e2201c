package dev.pyrelease.source.jgit;

import dev.pyrelease.source.GitCredentials;
import dev.pyrelease.source.GitUrls;
import dev.pyrelease.source.SourceException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * One ssh connection setup for one git operation, made from the release's credentials only: the
 * private key read from memory (never written to disk), the server's host key checked against the
 * given {@code known_hosts} and nothing else. Nothing of the user's {@code ~/.ssh} is read (no
 * config, identities, known_hosts or agent), so the operator, the build Job and the CLI behave
 * alike. Host key checking cannot be turned off: an unknown or changed host key is refused, and
 * {@link #rejection()} says which host and key.
 *
 * <p>A session factory per operation costs a MINA client start (milliseconds, see BENCHMARKS.md)
 * and keeps keys of different releases apart.
 */
final class SshSession implements AutoCloseable {
  private final SshdSessionFactory factory;
  private final KnownHosts knownHosts;

  private SshSession(SshdSessionFactory factory, KnownHosts knownHosts) {
    this.factory = factory;
    this.knownHosts = knownHosts;
  }

  /**
   * @param home an empty directory JGit may use as the home and {@code .ssh} directory (it reads
   *     nothing there: every source is replaced)
   * @throws SourceException INVALID when the credentials hold no ssh key, no or no usable {@code
   *     known_hosts}, or a key that cannot be read
   */
  static SshSession open(String url, GitCredentials credentials, Path home) {
    if (credentials == null || credentials.kind() != GitCredentials.Kind.SSH_KEY) {
      throw new SourceException(
          SourceException.Kind.INVALID,
          GitUrls.mask(url)
              + " is an ssh URL and needs a private key and known_hosts: name a git Secret with"
              + " the keys 'ssh-privatekey' and 'known_hosts' (spec.source.git.secretRef), or give"
              + " the CLI --git-credentials DIR holding those two files"
              + (credentials != null && credentials.kind() == GitCredentials.Kind.BASIC
                  ? " (the credentials given are a username and password, which ssh does not"
                      + " take here)"
                  : ""));
    }
    byte[] hosts = credentials.knownHosts();
    if (hosts == null) {
      throw new SourceException(
          SourceException.Kind.INVALID,
          "no "
              + credentials.describeKey(GitCredentials.KNOWN_HOSTS)
              + " beside the ssh private key: the git server's host key is always checked; add"
              + " its line(s), e.g. from `ssh-keyscan -p PORT HOST`, under that key");
    }
    KnownHosts db = KnownHosts.parse(hosts, credentials);
    List<KeyPair> keys = keys(credentials);
    try {
      Files.createDirectories(home);
    } catch (IOException e) {
      throw new SourceException(
          SourceException.Kind.IO, "cannot create " + home + ": " + e.getMessage());
    }
    SshdSessionFactory factory =
        new SshdSessionFactoryBuilder()
            .setHomeDirectory(home.toFile())
            .setSshDirectory(home.resolve(".ssh").toFile())
            // no ~/.ssh/config: nothing may weaken host key checking or add identities
            .setConfigStoreFactory((h, f, user) -> null)
            .setDefaultIdentities(dir -> List.of())
            .setDefaultKeysProvider(dir -> keys)
            .setDefaultKnownHostsFiles(dir -> List.of())
            .setServerKeyDatabase((h, s) -> db)
            .setPreferredAuthentications("publickey")
            .setConnectorFactory(null)
            .build(null);
    return new SshSession(factory, db);
  }

  /** Makes {@code cmd} connect through this session's factory. */
  <C extends TransportCommand<C, ?>> void configure(C cmd) {
    cmd.setTransportConfigCallback(
        t -> {
          if (t instanceof SshTransport ssh) {
            ssh.setSshSessionFactory(factory);
          }
        });
  }

  /** Why the server's host key was refused, or null when it was not. */
  String rejection() {
    return knownHosts.rejection.get();
  }

  @Override
  public void close() {
    factory.close();
  }

  private static List<KeyPair> keys(GitCredentials credentials) {
    String what = credentials.describeKey(GitCredentials.SSH_PRIVATE_KEY);
    FilePasswordProvider noPassphrase =
        (session, resource, retry) -> {
          throw new EncryptedKey();
        };
    try {
      List<KeyPair> out = new ArrayList<>();
      Iterable<KeyPair> read =
          SecurityUtils.loadKeyPairIdentities(
              null,
              NamedResource.ofName(GitCredentials.SSH_PRIVATE_KEY),
              new ByteArrayInputStream(credentials.privateKey()),
              noPassphrase);
      if (read != null) {
        read.forEach(out::add);
      }
      if (out.isEmpty()) {
        throw new SourceException(
            SourceException.Kind.INVALID,
            what + " is not a private key (expected an OpenSSH or PEM private key)");
      }
      return List.copyOf(out);
    } catch (EncryptedKey e) {
      throw new SourceException(
          SourceException.Kind.INVALID,
          what + " is encrypted with a passphrase; give the key without one (ssh-keygen -p)");
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      if (e instanceof SourceException s) {
        throw s;
      }
      // the class only: a parser's message could quote the key's text
      throw new SourceException(
          SourceException.Kind.INVALID,
          what
              + " cannot be read as an OpenSSH or PEM private key ("
              + e.getClass().getSimpleName()
              + "); ed25519, ecdsa and rsa keys without a passphrase are supported");
    }
  }

  /** A passphrase was asked for: the key is encrypted. */
  private static final class EncryptedKey extends IOException {
    EncryptedKey() {
      super("encrypted key");
    }
  }

  /**
   * known_hosts in memory: a host key is accepted only when a line for the host (as the URL names
   * it, or its address, with the port) has that key and is not {@code @revoked}. Never writes,
   * never asks.
   */
  static final class KnownHosts implements ServerKeyDatabase {
    private final List<Entry> entries;
    private final AtomicReference<String> rejection = new AtomicReference<>();
    private final String origin;

    private record Entry(KnownHostEntry line, PublicKey key) {}

    private KnownHosts(List<Entry> entries, String origin) {
      this.entries = entries;
      this.origin = origin;
    }

    static KnownHosts parse(byte[] content, GitCredentials credentials) {
      String what = credentials.describeKey(GitCredentials.KNOWN_HOSTS);
      List<Entry> entries = new ArrayList<>();
      int unreadable = 0;
      try (Reader r =
          new InputStreamReader(new ByteArrayInputStream(content), StandardCharsets.UTF_8)) {
        for (KnownHostEntry e : KnownHostEntry.readKnownHostEntries(r, true)) {
          AuthorizedKeyEntry k = e.getKeyEntry();
          PublicKey key = null;
          try {
            key = k == null ? null : k.resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
          } catch (GeneralSecurityException | IOException | RuntimeException ex) {
            key = null;
          }
          if (key == null) {
            unreadable++;
          } else {
            entries.add(new Entry(e, key));
          }
        }
      } catch (IOException | RuntimeException e) {
        throw new SourceException(
            SourceException.Kind.INVALID,
            what
                + " is not a known_hosts file ("
                + e.getClass().getSimpleName()
                + "); expected lines like '[git.example.com]:2222 ssh-ed25519 AAAA…'");
      }
      if (entries.isEmpty()) {
        throw new SourceException(
            SourceException.Kind.INVALID,
            what
                + " has no host key line"
                + (unreadable > 0 ? " that can be read (" + unreadable + " not understood)" : "")
                + "; add the server's, e.g. from `ssh-keyscan -p PORT HOST`");
      }
      return new KnownHosts(
          List.copyOf(entries), credentials.describeKey(GitCredentials.KNOWN_HOSTS));
    }

    @Override
    public List<PublicKey> lookup(
        String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
      List<PublicKey> out = new ArrayList<>();
      for (Entry e : entries) {
        if (matches(e, connectAddress, remoteAddress) && !revoked(e)) {
          out.add(e.key());
        }
      }
      return out;
    }

    @Override
    public boolean accept(
        String connectAddress,
        InetSocketAddress remoteAddress,
        PublicKey serverKey,
        Configuration config,
        CredentialsProvider provider) {
      boolean hostListed = false;
      for (Entry e : entries) {
        if (!matches(e, connectAddress, remoteAddress)) {
          continue;
        }
        hostListed = true;
        if (KeyUtils.compareKeys(serverKey, e.key())) {
          if (revoked(e)) {
            reject(connectAddress, serverKey, "is marked @revoked in " + origin);
            return false;
          }
          return true;
        }
      }
      reject(
          connectAddress,
          serverKey,
          hostListed
              ? "is not the key "
                  + origin
                  + " has for that host (the server's key changed, or another server answers)"
              : "has no line for that host in " + origin);
      return false;
    }

    private void reject(String host, PublicKey key, String why) {
      rejection.set(
          "host key verification failed for "
              + host
              + ": its "
              + KeyUtils.getKeyType(key)
              + " key "
              + KeyUtils.getFingerPrint(key)
              + " "
              + why);
    }

    private static boolean revoked(Entry e) {
      return "revoked".equals(e.line().getMarker());
    }

    private static boolean matches(
        Entry e, String connectAddress, InetSocketAddress remoteAddress) {
      HostPort c = HostPort.parse(connectAddress);
      if (c != null && e.line().isHostMatch(c.host(), c.port())) {
        return true;
      }
      return remoteAddress != null
          && remoteAddress.getAddress() != null
          && e.line()
              .isHostMatch(remoteAddress.getAddress().getHostAddress(), remoteAddress.getPort());
    }
  }

  /** JGit's connect address: {@code host} (port 22) or {@code [host]:port}. */
  record HostPort(String host, int port) {
    static HostPort parse(String address) {
      if (address == null || address.isEmpty()) {
        return null;
      }
      try {
        if (address.startsWith("[")) {
          int end = address.indexOf(']');
          if (end <= 1) {
            return null;
          }
          String host = address.substring(1, end);
          int port =
              end + 1 < address.length() && address.charAt(end + 1) == ':'
                  ? Integer.parseInt(address.substring(end + 2))
                  : 22;
          return new HostPort(host, port);
        }
        int colon = address.lastIndexOf(':');
        if (colon > 0 && address.indexOf(':') == colon) {
          return new HostPort(
              address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
        }
        return new HostPort(address, 22);
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }
}
