package io.flowretry.security.control;

import io.flowretry.kernel.ConflictException;
import io.flowretry.kernel.Roles;
import io.flowretry.kernel.Validation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

/** Users of the console and the API, with PBKDF2-hashed passwords ({@link PasswordHashes}). */
@ApplicationScoped
@Transactional
public class Users {

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(Users.class.getName());

    @PersistenceContext
    EntityManager em;

    @Inject
    Pbkdf2PasswordHash hash;

    @Inject
    Clock clock;

    public boolean exists(String username) {
        return !em.createNativeQuery("select 1 from users where username = ?1").setParameter(1, username).getResultList().isEmpty();
    }

    public void create(String username, String password, Set<String> roles) {
        new Validation()
                .require("username", username)
                .check(username == null || username.matches("[A-Za-z0-9._-]{1,100}"), "username", "letters, digits, '.', '_' or '-', at most 100")
                .require("password", password)
                .check(password == null || password.length() >= 8, "password", "must be at least 8 characters")
                .check(roles != null && !roles.isEmpty() && Roles.ASSIGNABLE.containsAll(roles), "roles", "must be some of " + Roles.ASSIGNABLE)
                .throwIfInvalid();
        if (exists(username)) {
            throw new ConflictException("username", "user " + username + " exists already");
        }
        em.createNativeQuery("insert into users (username, password_hash, created_at) values (?1, ?2, ?3)")
                .setParameter(1, username)
                .setParameter(2, PasswordHashes.initialized(hash).generate(password.toCharArray()))
                .setParameter(3, OffsetDateTime.now(clock))
                .executeUpdate();
        for (var role : roles) {
            em.createNativeQuery("insert into user_roles (username, role) values (?1, ?2)")
                    .setParameter(1, username).setParameter(2, role).executeUpdate();
        }
    }

    /** After a successful sign-in: replaces a hash weaker than {@link PasswordHashes} with a current one. */
    public void upgradeHash(String username, String password) {
        var rows = em.createNativeQuery("select password_hash from users where username = ?1").setParameter(1, username).getResultList();
        var stored = rows.isEmpty() ? null : String.valueOf(rows.get(0));
        if (PasswordHashes.outdated(stored)) {
            em.createNativeQuery("update users set password_hash = ?1 where username = ?2 and password_hash = ?3")
                    .setParameter(1, PasswordHashes.initialized(hash).generate(password.toCharArray()))
                    .setParameter(2, username).setParameter(3, stored).executeUpdate();
            LOG.info(() -> "Upgraded the password hash of user " + username + " to " + PasswordHashes.ALGORITHM + " with "
                    + PasswordHashes.ITERATIONS + " iterations");
        }
    }

    @SuppressWarnings("unchecked")
    public List<String> roles(String username) {
        return em.createNativeQuery("select role from user_roles where username = ?1 order by role")
                .setParameter(1, username).getResultList();
    }
}
