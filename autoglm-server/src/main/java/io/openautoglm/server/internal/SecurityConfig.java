package io.openautoglm.server.internal;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may call what: {@code /api/**} needs a bearer token with role {@code user} or {@code admin} (from the
 * {@code roles} claim), registering or removing a pipeline and validating a spec need {@code admin}; the actuator's health, prometheus and info are
 * open. 401 and 403 answer in the envelope. Stateless: no session, no CSRF token, no login page.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {
    private static final Logger LOG = LoggerFactory.getLogger(SecurityConfig.class);

    @Bean
    JwtDecoder jwtDecoder(ServerSettings settings) {
        return JwtDecoders.from(settings.jwt());
    }

    /**
     * The calls for {@code admin} alone: registering and removing a pipeline, and validating a spec (which resolves
     * its secret references and reads its paths on this server). One matcher for the chain and for the refusal's
     * message, so that the message names the role the chain asked for.
     */
    private static final RequestMatcher ADMIN_ONLY = new OrRequestMatcher(
            PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.PUT, "/api/v1/pipelines/*"),
            PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.DELETE, "/api/v1/pipelines/*"),
            PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/api/v1/specs/validate"));

    @Bean
    SecurityFilterChain api(HttpSecurity http, ServerSettings settings, EnvelopeWriter writer) throws Exception {
        JwtGrantedAuthoritiesConverter roles = new JwtGrantedAuthoritiesConverter();
        roles.setAuthoritiesClaimName(settings.jwt().rolesClaim());
        roles.setAuthorityPrefix("ROLE_");
        JwtAuthenticationConverter toAuthentication = new JwtAuthenticationConverter();
        toAuthentication.setJwtGrantedAuthoritiesConverter(roles);
        AuthenticationEntryPoint unauthenticated = (request, response, e) -> unauthenticated(response, e, writer);
        AccessDeniedHandler denied = (request, response, e) -> writer.write(
                response,
                ErrorCode.FORBIDDEN,
                "this call needs role "
                        + (ADMIN_ONLY.matches(request) ? "admin" : "user or admin")
                        + " in the token's " + settings.jwt().rolesClaim() + " claim",
                null);
        http.csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // an event stream or a result stream ends in an async dispatch of the request already authorised
                .authorizeHttpRequests(a -> a.dispatcherTypeMatchers(DispatcherType.ASYNC)
                        .permitAll()
                        .requestMatchers(
                                "/actuator/health", "/actuator/health/**", "/actuator/prometheus", "/actuator/info")
                        .permitAll()
                        .requestMatchers(ADMIN_ONLY)
                        .hasRole("admin")
                        .requestMatchers("/api/**")
                        .hasAnyRole("user", "admin")
                        .anyRequest()
                        .permitAll())
                .oauth2ResourceServer(o -> o.jwt(j -> j.jwtAuthenticationConverter(toAuthentication))
                        .authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler(denied))
                .exceptionHandling(
                        e -> e.authenticationEntryPoint(unauthenticated).accessDeniedHandler(denied));
        return http.build();
    }

    private static void unauthenticated(HttpServletResponse response, AuthenticationException e, EnvelopeWriter writer)
            throws java.io.IOException {
        // never the token, nor the decoder's words about it: a fixed message per case
        String why = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        boolean noToken = e instanceof org.springframework.security.authentication.InsufficientAuthenticationException;
        ErrorCode code = noToken
                ? ErrorCode.UNAUTHENTICATED
                : why.contains("expired") ? ErrorCode.TOKEN_EXPIRED : ErrorCode.TOKEN_INVALID;
        String message = switch (code) {
            case UNAUTHENTICATED -> "this call needs a bearer token: Authorization: Bearer <JWT>";
            case TOKEN_EXPIRED -> "the bearer token has expired; get a new one";
            default -> "the bearer token is not valid (signature, algorithm, format or claims)";
        };
        LOG.debug("refused a request: {}", code);
        response.setHeader(
                "WWW-Authenticate",
                noToken ? "Bearer" : "Bearer error=\"invalid_token\", error_description=\"" + message + "\"");
        writer.write(response, code, message, null);
    }

    @Bean
    FilterRegistrationBean<BodySizeFilter> bodySizeFilter(ServerSettings settings, EnvelopeWriter writer) {
        FilterRegistrationBean<BodySizeFilter> r = new FilterRegistrationBean<>(new BodySizeFilter(
                settings.maxBodySize().toBytes(),
                settings.jobs().maxUploadSize().toBytes(),
                writer));
        r.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        r.addUrlPatterns("/*");
        return r;
    }
}
