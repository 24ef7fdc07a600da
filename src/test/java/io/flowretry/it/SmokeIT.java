package io.flowretry.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(ArquillianExtension.class)
@RunAsClient
@org.junit.jupiter.api.Tag("postgres")
class SmokeIT {

    @Deployment(testable = false)
    static WebArchive war() {
        return TheWar.built();
    }

    @ArquillianResource
    URL url;

    @Test
    void boots_migrates_and_authenticates() {
        var api = Api.at(url);
        assertEquals(401, api.anonymous().get("/api/environments").status());
        var created = api.post("/api/environments", "{\"name\":\"smoke-" + System.nanoTime() + "\",\"timeZone\":\"Europe/Berlin\"}");
        assertEquals(201, created.status(), created.toString());
        assertEquals("Europe/Berlin", created.json().getString("timeZone"));
        var bad = api.post("/api/environments", "{\"name\":\"x\",\"timeZone\":\"Mars/Olympus\"}");
        assertEquals(400, bad.status(), bad.toString());
        assertEquals("timeZone", bad.problemField());
        assertEquals(400, api.post("/api/environments", "{\"name\":").status());
    }
}
