// test/drivers/Jdbc.java: the pgjdbc side of the driver battery (battery.py,
// test/extra/drivers.sh).  Reads the cases on standard input, one a line
// (name TAB sql TAB kind:value TAB ..., as battery.py writes them), runs each in a transaction
// that is rolled back, and prints one line a case as node_pg.js does.
// Parameters as a JDBC application binds them: setInt for an integer,
// setLong for a 64-bit one (a JPA entity's Long id), setString (sent as
// varchar), setArray of createArrayOf("integer" / "bigint"), a PGobject of
// type jsonb for JSON, setNull(Types.INTEGER).  Connects with the PG*
// variables of the environment; when PGHOST is a directory (the Unix socket
// of make test's cluster, which listens on no TCP port), through Java 16's
// own Unix-domain sockets (UnixSocketFactory below: pgjdbc speaks TCP only,
// unless given a socket factory).
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.postgresql.util.PGobject;
import org.postgresql.util.PSQLException;

public class Jdbc {
	/** Sockets to a Unix-domain socket file, whatever address pgjdbc connects them to. */
	public static class UnixSocketFactory extends javax.net.SocketFactory {
		private final String path;

		public UnixSocketFactory(String path) {
			this.path = path;
		}

		@Override
		public Socket createSocket() {
			return new UnixSocket(path);
		}

		@Override
		public Socket createSocket(String h, int p) throws IOException {
			Socket s = createSocket();
			s.connect(null);
			return s;
		}

		@Override
		public Socket createSocket(String h, int p, InetAddress a, int lp) throws IOException {
			return createSocket(h, p);
		}

		@Override
		public Socket createSocket(InetAddress h, int p) throws IOException {
			return createSocket((String) null, p);
		}

		@Override
		public Socket createSocket(InetAddress h, int p, InetAddress a, int lp) throws IOException {
			return createSocket((String) null, p);
		}
	}

	/** The few Socket methods pgjdbc calls, over a Unix-domain SocketChannel. */
	static class UnixSocket extends Socket {
		private final String path;
		private SocketChannel channel;
		private InputStream in;
		private OutputStream out;

		UnixSocket(String path) {
			this.path = path;
		}

		@Override
		public void connect(SocketAddress a) throws IOException {
			connect(a, 0);
		}

		@Override
		public void connect(SocketAddress a, int timeout) throws IOException {
			channel = SocketChannel.open(StandardProtocolFamily.UNIX);
			channel.connect(UnixDomainSocketAddress.of(path));
			in = Channels.newInputStream(channel);
			out = Channels.newOutputStream(channel);
		}

		@Override
		public boolean isConnected() {
			return channel != null && channel.isConnected();
		}

		@Override
		public InputStream getInputStream() {
			return in;
		}

		@Override
		public OutputStream getOutputStream() {
			return out;
		}

		@Override
		public void setTcpNoDelay(boolean on) {
		}

		@Override
		public void setKeepAlive(boolean on) {
		}

		@Override
		public void setSoTimeout(int t) {
		}

		@Override
		public int getSoTimeout() {
			return 0;
		}

		@Override
		public void setReceiveBufferSize(int n) {
		}

		@Override
		public void setSendBufferSize(int n) {
		}

		@Override
		public synchronized void close() throws IOException {
			if (channel != null)
				channel.close();
		}
	}

	static String[] list(String v) {
		return v.isEmpty() ? new String[0] : v.split(",");
	}

	static String esc(String s) {
		return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t");
	}

	public static void main(String[] args) throws Exception {
		String host = System.getenv().getOrDefault("PGHOST", "localhost");
		String port = System.getenv().getOrDefault("PGPORT", "5432");
		String db = System.getenv().getOrDefault("PGDATABASE", "postgres");
		Properties props = new Properties();
		props.setProperty("user", System.getenv().getOrDefault("PGUSER", "postgres"));
		String url = "jdbc:postgresql://" + host + ":" + port + "/" + db;
		if (host.startsWith("/")) {
			url = "jdbc:postgresql://localhost:" + port + "/" + db;
			props.setProperty("socketFactory", UnixSocketFactory.class.getName());
			props.setProperty("socketFactoryArg", host + "/.s.PGSQL." + port);
		}
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		StringBuilder out = new StringBuilder();
		try (Connection conn = DriverManager.getConnection(url, props)) {
			conn.setAutoCommit(false);
			String line;
			while ((line = in.readLine()) != null) {
				if (line.isEmpty())
					continue;
				// name TAB sql TAB kind:value TAB kind:value ... (battery.py)
				String[] f = line.split("\t", -1);
				String name = f[0];
				try (PreparedStatement reset = conn.prepareStatement("SELECT drivers_reset()");
				     PreparedStatement st = conn.prepareStatement(f[1].replaceAll("\\$[0-9]+", "?"))) {
					reset.execute();
					boolean skip = false;
					for (int i = 2; i < f.length; i++) {
						int colon = f[i].indexOf(':');
						String kind = f[i].substring(0, colon), v = f[i].substring(colon + 1);
						int p = i - 1;
						switch (kind) {
						case "key": st.setInt(p, Integer.parseInt(v)); break;
						case "big": case "huge": st.setLong(p, Long.parseLong(v)); break;
						case "str": case "strs": st.setString(p, v); break;
						case "keys":
							st.setArray(p, conn.createArrayOf("integer",
								Arrays.stream(list(v)).map(Integer::valueOf).toArray(Integer[]::new)));
							break;
						case "bigs":
							st.setArray(p, conn.createArrayOf("bigint",
								Arrays.stream(list(v)).map(Long::valueOf).toArray(Long[]::new)));
							break;
						case "json": {
							PGobject o = new PGobject();
							o.setType("jsonb");
							o.setValue(v);
							st.setObject(p, o);
							break;
						}
						case "null": st.setNull(p, Types.INTEGER); break;
						default: throw new IllegalArgumentException("unknown kind " + kind);
						}
					}
					List<String> rows = new ArrayList<>();
					try (ResultSet rs = st.executeQuery()) {
						while (rs.next()) {
							String s = rs.getString(1);
							rows.add(s == null ? "\\N" : s);
						}
					}
					String state;
					try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT drivers_state()")) {
						rs.next();
						state = rs.getString(1);
					}
					out.append(name).append("\tR\t").append(esc(String.join("\u001f", rows))).append('\t')
						.append(esc(state)).append('\n');
				} catch (PSQLException e) {
					if (e.getServerErrorMessage() == null)
						throw e;
					out.append(name).append("\tE\t").append(e.getSQLState()).append('\t')
						.append(esc(e.getServerErrorMessage().getMessage())).append('\n');
				} finally {
					conn.rollback();
				}
			}
		}
		System.out.print(out);
	}
}
