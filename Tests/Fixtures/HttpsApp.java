// SPDX-License-Identifier: Apache-2.0
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;

/**
 * A Java app that calls its API through token-proxy with java.net.http.HttpClient, as such apps
 * do: one client (so one kept-alive connection, a CONNECT tunnel for https:// URLs), the proxy
 * given by a ProxySelector, and the intercept CA trusted through the JVM's trust store
 * (-Djavax.net.ssl.trustStore, made from the CA with keytool -importcert).
 *
 * <p>Run with the single-file launcher: {@code java -Djavax.net.ssl.trustStore=... HttpsApp.java
 * PROXY-PORT URL COUNT}. Sends GET URL COUNT times in turn and prints one line per response:
 * "<status> <body as Base64>". A failure ends it with exit status 1 and the error on stderr.
 */
public class HttpsApp {
    public static void main(String[] arguments) throws Exception {
        int proxyPort = Integer.parseInt(arguments[0]);
        URI url = URI.create(arguments[1]);
        int count = Integer.parseInt(arguments[2]);
        // HttpClient offers HTTP/2 by ALPN and falls back to HTTP/1.1, which is what token-proxy speaks.
        HttpClient client = HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxyPort)))
                .connectTimeout(Duration.ofSeconds(30))
                .build();
        try {
            for (int index = 0; index < count; index++) {
                HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).build();
                HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                System.out.println(response.statusCode() + " " + Base64.getEncoder().encodeToString(response.body()));
            }
        } catch (java.io.IOException error) {
            System.err.println("request failed: " + error);
            System.exit(1);
        }
    }
}
