// Test servlet for the ajp-inspect sample corpus (Tomcat 10.1, jakarta.servlet).
// Compiled with javac at generation time by samples/make/make-all.sh; only this source is committed.
//
// Every request (any path under the context, any method) is driven by query parameters:
//   ms=N        sleep N milliseconds before answering (slow backend)
//   size=N      stream N bytes of response body ('x' lines), written in 8 KB pieces
//   pace=N      with size: sleep N milliseconds after each 8 KB piece (a slowly producing backend)
//   flush=N     write N short lines, flushing after each (AJP flush = zero-length SEND_BODY_CHUNK)
//   gap=N       milliseconds to wait between flushed lines (default 200)
//   status=N    answer with this HTTP status
// A request body (POST/PUT, Content-Length or chunked) is always read completely and its byte count
// echoed as "body-bytes: N". Without size/flush the answer is a plain-text echo of the request.
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;

public class Probe extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private static long param(HttpServletRequest req, String name, long dflt) {
        String v = req.getParameter(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp)
            throws ServletException, IOException {
        // Read the body first: getParameter() on a form POST would consume it otherwise.
        long bodyBytes = 0;
        InputStream in = req.getInputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            bodyBytes += n;
        }
        String q = req.getQueryString();
        long ms = 0, size = -1, flush = 0, gap = 200, status = 200, pace = 0;
        if (q != null) {
            // Parse the query string ourselves so a form body is never interpreted.
            for (String kv : q.split("&")) {
                int eq = kv.indexOf('=');
                if (eq < 0) continue;
                String k = kv.substring(0, eq);
                long v;
                try {
                    v = Long.parseLong(kv.substring(eq + 1));
                } catch (NumberFormatException e) {
                    continue;
                }
                switch (k) {
                    case "ms": ms = v; break;
                    case "size": size = v; break;
                    case "flush": flush = v; break;
                    case "gap": gap = v; break;
                    case "status": status = v; break;
                    case "pace": pace = v; break;
                    default: break;
                }
            }
        }
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        resp.setStatus((int) status);
        resp.setContentType("text/plain;charset=UTF-8");
        ServletOutputStream out = resp.getOutputStream();
        if (size >= 0) {
            resp.setContentLengthLong(size);
            byte[] line = new byte[8192];
            for (int i = 0; i < line.length; i++) {
                line[i] = (byte) ((i % 64 == 63) ? '\n' : 'x');
            }
            long left = size;
            while (left > 0) {
                int chunk = (int) Math.min(left, line.length);
                out.write(line, 0, chunk);
                left -= chunk;
                if (pace > 0 && left > 0) {
                    try {
                        Thread.sleep(pace);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            return;
        }
        if (flush > 0) {
            for (long i = 1; i <= flush; i++) {
                out.write(("line " + i + " of " + flush + "\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if (i < flush && gap > 0) {
                    try {
                        Thread.sleep(gap);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            return;
        }
        StringBuilder sb = new StringBuilder();
        sb.append("method: ").append(req.getMethod()).append('\n');
        sb.append("uri: ").append(req.getRequestURI()).append('\n');
        sb.append("query: ").append(q).append('\n');
        sb.append("remote: ").append(req.getRemoteAddr()).append(':').append(req.getRemotePort()).append('\n');
        sb.append("body-bytes: ").append(bodyBytes).append('\n');
        for (String h : Collections.list(req.getHeaderNames())) {
            sb.append("header ").append(h).append(": ").append(req.getHeader(h)).append('\n');
        }
        byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
        resp.setContentLength(b.length);
        out.write(b);
    }
}
