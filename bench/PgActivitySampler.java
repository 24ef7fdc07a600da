import java.sql.DriverManager;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

/**
 * A sampling profiler of the PostgreSQL on 127.0.0.1:5432 with nothing to install or restart:
 * every 10 ms it reads which statement each active client backend runs (and what it waits for)
 * from {@code pg_stat_activity}, and prints the most frequent per window. A statement seen in 90 %
 * of the samples holds a backend 90 % of the time. Beside a bench run:
 * <pre>
 * bench/run --db postgres --items 100000 &amp;
 * java -cp 'target/bench-lib/*' bench/PgActivitySampler.java 150 10    # seconds in all, seconds a window
 * </pre>
 */
public class PgActivitySampler {

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 120;
        long window = args.length > 1 ? Long.parseLong(args[1]) : 10;
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
             var ps = c.prepareStatement("select datname, coalesce(wait_event_type, '-') || ':' || coalesce(wait_event, '-'),"
                     + " regexp_replace(left(query, 150), '\\s+', ' ', 'g') from pg_stat_activity"
                     + " where state = 'active' and pid <> pg_backend_pid() and backend_type = 'client backend'")) {
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                Map<String, Integer> counts = new HashMap<>();
                int samples = 0;
                long windowEnd = System.nanoTime() + window * 1_000_000_000L;
                while (System.nanoTime() < windowEnd) {
                    try (var rs = ps.executeQuery()) {
                        while (rs.next()) {
                            counts.merge(rs.getString(1) + " | " + rs.getString(2) + " | " + rs.getString(3), 1, Integer::sum);
                        }
                    }
                    samples++;
                    Thread.sleep(10);
                }
                if (!counts.isEmpty()) {
                    System.out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "  " + samples + " samples");
                    int n = samples;
                    counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(8)
                            .forEach(e -> System.out.printf("  %5.1f %%  %s%n", 100.0 * e.getValue() / n, e.getKey()));
                }
            }
        }
    }
}
