package io.flowretry.security.control;

import io.flowretry.platform.control.AppDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.identitystore.DatabaseIdentityStoreDefinition;
import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;

/** The single identity store: users and their roles in the application's database; hashes as {@link PasswordHashes}. */
@ApplicationScoped
@DatabaseIdentityStoreDefinition(
        dataSourceLookup = AppDataSource.NAME,
        callerQuery = "select password_hash from users where username = ?",
        groupsQuery = "select role from user_roles where username = ?",
        hashAlgorithm = Pbkdf2PasswordHash.class,
        hashAlgorithmParameters = {"Pbkdf2PasswordHash.Iterations=600000", "Pbkdf2PasswordHash.Algorithm=PBKDF2WithHmacSHA256",
                "Pbkdf2PasswordHash.SaltSizeBytes=32", "Pbkdf2PasswordHash.KeySizeBytes=32"})
public class IdentityStoreConfiguration {
}
