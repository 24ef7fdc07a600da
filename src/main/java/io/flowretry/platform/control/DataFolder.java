package io.flowretry.platform.control;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The data folder ({@code FLOWRETRY_DATA_DIR}: H2 databases, the batch job repository, the apps' H2
 * files, the secret key) is the owner's only: at startup its folders get mode 0700 and its files 0600,
 * whatever the umask created them with ({@code ./serve} and the Dockerfile also start the server
 * with umask 077, so files created later are private too).
 */
@Singleton
@Startup
@DependsOn({"Migrations", "SecretKeys"})
public class DataFolder {

    private static final Logger LOG = Logger.getLogger(DataFolder.class.getName());

    @Inject
    @ConfigProperty(name = "FLOWRETRY_DATA_DIR", defaultValue = "data")
    String dataDir;

    @PostConstruct
    void ownerOnly() {
        var root = Path.of(dataDir);
        if (!Files.isDirectory(root) || !FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        try {
            restrict(root);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot make the data folder " + root.toAbsolutePath() + " private to its owner", e);
        }
    }

    static void restrict(Path root) throws IOException {
        var folders = PosixFilePermissions.fromString("rwx------");
        var files = PosixFilePermissions.fromString("rw-------");
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isSymbolicLink(p)) {
                    continue;
                }
                Files.setPosixFilePermissions(p, Files.isDirectory(p) ? folders : files);
            }
        }
    }
}
