package io.openautoglm.server.internal;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The API's description at {@code /v3/api-docs} (Swagger UI at {@code /swagger-ui.html}, its files served from this
 * jar): every {@code /api/**} call takes a JWT bearer token, and the description carries the envelope's error-code
 * table from {@link ErrorCode} itself, so the two cannot drift apart.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfig {
    static final String BEARER = "bearer-jwt";

    @Bean
    OpenAPI autoGlmOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("Open-AutoGLM server")
                        .version("v1") // the API's version, as in its paths; not the build's
                        .description(description())
                        .license(new License().name("Apache-2.0")))
                .components(new Components()
                        .addSecuritySchemes(
                                BEARER,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .bearerFormat("JWT")
                                        .description("a JWT with sub, exp and roles (user, admin)")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    static String description() {
        StringBuilder s = new StringBuilder("""
                Pipelines as a REST service. Every JSON answer is an envelope: `{"code": 0, "data": …, "message": "ok"}` \
                on success and `{"code": <code>, "data": null, "message": "<what and why>"}` on error, with a \
                meaningful HTTP status. The codes:

                | code | HTTP | meaning |
                | --- | --- | --- |
                """);
        for (ErrorCode c : ErrorCode.values()) {
            s.append("| ")
                    .append(c.code())
                    .append(" | ")
                    .append(c.status().value())
                    .append(" | ")
                    .append(c.meaning())
                    .append(" |\n");
        }
        return s.toString();
    }
}
