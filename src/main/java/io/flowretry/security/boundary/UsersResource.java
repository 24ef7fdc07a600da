package io.flowretry.security.boundary;

import io.flowretry.kernel.Roles;
import io.flowretry.security.control.Users;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

import java.util.List;
import java.util.Set;

/** Users: admins create them; everyone may ask who they are. */
@Path("users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class UsersResource {

    public record NewUser(String username, String password, Set<String> roles) {
    }

    public record UserView(String username, List<String> roles) {
    }

    @Inject
    Users users;

    @POST
    @RolesAllowed(Roles.ADMIN)
    public Response create(NewUser user, @Context UriInfo uri) {
        if (user == null) {
            user = new NewUser(null, null, null);
        }
        users.create(user.username(), user.password(), user.roles());
        return Response.created(uri.getAbsolutePathBuilder().path(user.username()).build())
                .entity(new UserView(user.username(), users.roles(user.username()))).build();
    }

    @GET
    @Path("me")
    public UserView me(@Context SecurityContext security) {
        var name = security.getUserPrincipal().getName();
        return new UserView(name, users.roles(name));
    }
}
