package io.openautoglm.server;

import io.openautoglm.server.internal.TokenCommand;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Starts the server: {@code java -jar autoglm-server.jar --server.port=8080
 * --autoglm.server.jwt.hs256-secret=… --autoglm.pipelines.NAME=spec.json}. With {@code token} as the first argument
 * it mints a bearer token instead and starts nothing (see {@link TokenCommand}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AutoGlmServer {
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("token")) {
            System.exit(TokenCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
            return;
        }
        SpringApplication.run(AutoGlmServer.class, args);
    }
}
