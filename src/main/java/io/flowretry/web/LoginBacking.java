package io.flowretry.web;

import io.flowretry.security.control.ConsoleAuthenticationMechanism;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.SecurityContext;
import jakarta.security.enterprise.authentication.mechanism.http.AuthenticationParameters;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The console's sign-in: hands the typed credentials to the application's authentication
 * mechanism (the same identity store as the API). Bad credentials leave a message, no hint which
 * half was wrong; a successful sign-in gets a new session id (no session fixation).
 */
@Named
@RequestScoped
public class LoginBacking {

    @Inject
    SecurityContext security;

    private String username;
    private String password;

    public String login() {
        var faces = FacesContext.getCurrentInstance();
        var external = faces.getExternalContext();
        var request = (HttpServletRequest) external.getRequest();
        var status = security.authenticate(request, (HttpServletResponse) external.getResponse(),
                AuthenticationParameters.withParams().newAuthentication(true)
                        .credential(new UsernamePasswordCredential(username, password)));
        return switch (status) {
            case SUCCESS -> {
                request.changeSessionId(); // a session id known before the sign-in is worthless after it
                yield "/environments/list.xhtml?faces-redirect=true";
            }
            case SEND_CONTINUE -> {
                faces.responseComplete();
                yield null;
            }
            default -> {
                var locked = request.getAttribute(ConsoleAuthenticationMechanism.LOCKED_SECONDS);
                faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, locked == null ? "Unknown user or wrong password"
                        : "Too many failed sign-ins: try again in " + locked + " s", null));
                yield null;
            }
        };
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }
}
