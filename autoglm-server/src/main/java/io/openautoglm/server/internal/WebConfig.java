package io.openautoglm.server.internal;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The protection in front of the API: the per-subject rate limit on {@code /api/**}, and the prediction bulkhead. */
@Configuration(proxyBeanMethods = false)
public class WebConfig implements WebMvcConfigurer {
    private final ServerSettings settings;
    private final ServerMeters meters;

    public WebConfig(ServerSettings settings, ServerMeters meters) {
        this.settings = settings;
        this.meters = meters;
    }

    /** One limiter, the bean's and the interceptor's: with proxyBeanMethods off a second call would make another. */
    private RateLimiter limiter;

    @Bean
    synchronized RateLimiter rateLimiter() {
        if (limiter == null) {
            limiter = new RateLimiter(
                    settings.rateLimit().perSecond(), settings.rateLimit().burst(), System::nanoTime);
        }
        return limiter;
    }

    @Bean
    PredictionGate predictionGate() {
        ServerSettings.Bulkhead b = settings.bulkhead();
        return new PredictionGate(b.maxConcurrent(), b.maxQueued(), b.maxWait());
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        if (!settings.rateLimit().enabled()) {
            return;
        }
        RateLimiter limiter = rateLimiter();
        registry.addInterceptor(new HandlerInterceptor() {
                    @Override
                    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object h) {
                        if (request.getDispatcherType() == DispatcherType.ASYNC) {
                            return true; // the end of a stream that was counted when it began
                        }
                        Authentication who = SecurityContextHolder.getContext().getAuthentication();
                        if (who == null || !who.isAuthenticated()) {
                            return true;
                        }
                        Optional<Duration> wait = limiter.acquire(who.getName());
                        if (wait.isPresent()) {
                            meters.rejected("rate_limited");
                            throw new ApiException(
                                    ErrorCode.RATE_LIMITED,
                                    "rate limit of " + settings.rateLimit().perSecond() + " requests per second (burst "
                                            + settings.rateLimit().burst() + ") spent for this subject; retry after "
                                            + wait.get().toSeconds() + " s",
                                    wait.get());
                        }
                        return true;
                    }
                })
                .addPathPatterns("/api/**");
    }
}
