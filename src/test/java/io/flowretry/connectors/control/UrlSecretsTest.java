package io.flowretry.connectors.control;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UrlSecretsTest {

    @Test
    void passwords_inside_urls_are_masked() {
        assertEquals("jdbc:h2:tcp://127.0.0.1/crm;USER=sa;PASSWORD=***;MODE=PostgreSQL",
                UrlSecrets.masked("jdbc:h2:tcp://127.0.0.1/crm;USER=sa;PASSWORD=s3cret;MODE=PostgreSQL"));
        assertEquals("jdbc:h2:mem:x;password=***", UrlSecrets.masked("jdbc:h2:mem:x;password=s3cret"));
        assertEquals("jdbc:postgresql://db/crm?user=app&password=***&ssl=true",
                UrlSecrets.masked("jdbc:postgresql://db/crm?user=app&password=a%26b&ssl=true"));
        assertEquals("jdbc:postgresql://db/crm?PassWord=***", UrlSecrets.masked("jdbc:postgresql://db/crm?PassWord=x"));
        assertEquals("https://user:***@erp.example.com:8443/api?x=1",
                UrlSecrets.masked("https://user:p%40ss@erp.example.com:8443/api?x=1"));
        assertEquals("http://user@erp.example.com/a@b", UrlSecrets.masked("http://user@erp.example.com/a@b"));
        assertEquals("http://erp.example.com/?u=a:b@c", UrlSecrets.masked("http://erp.example.com/?u=a:b@c"));
        assertEquals("jdbc:postgresql://db/crm", UrlSecrets.masked("jdbc:postgresql://db/crm"));
    }

    @Test
    void a_mask_sent_back_keeps_the_stored_secret_and_a_new_value_replaces_it() {
        var stored = "jdbc:postgresql://db/crm?user=app&password=old-secret";
        assertEquals("jdbc:postgresql://db2/crm?user=app&password=old-secret",
                UrlSecrets.keepStored("jdbc:postgresql://db2/crm?user=app&password=***", stored));
        assertEquals("jdbc:postgresql://db/crm?user=app&password=new",
                UrlSecrets.keepStored("jdbc:postgresql://db/crm?user=app&password=new", stored));
        assertEquals("https://u:pw@erp/v2", UrlSecrets.keepStored("https://u:***@erp/v2", "https://u:pw@erp/v1"));
        assertEquals("jdbc:h2:mem:x;PASSWORD=***", UrlSecrets.keepStored("jdbc:h2:mem:x;PASSWORD=***", "jdbc:h2:mem:x"),
                "nothing stored to keep: the mask is taken as the value");
    }
}
