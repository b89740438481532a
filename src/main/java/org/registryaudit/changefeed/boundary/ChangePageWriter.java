package org.registryaudit.changefeed.boundary;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;

import org.registryaudit.changefeed.entity.Change;
import org.registryaudit.changefeed.entity.ChangePage;
import org.registryaudit.platform.control.InstantText;
import org.registryaudit.platform.control.JsonText;

/**
 * Writes a changefeed page as one piece of JSON text, field names and order as notary-server
 * writes them. The hottest response of the service: JSON-B's reflective writing of the 100 records
 * took a tenth of a request's CPU, and a JSON-P generator still took 15% (JFR, docs/benchmarks.md).
 */
@Provider
@Produces(MediaType.APPLICATION_JSON)
public class ChangePageWriter implements MessageBodyWriter<ChangePage> {

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == ChangePage.class;
    }

    @Override
    public void writeTo(
            ChangePage page,
            Class<?> type,
            Type genericType,
            Annotation[] annotations,
            MediaType mediaType,
            MultivaluedMap<String, Object> headers,
            OutputStream out)
            throws IOException {
        out.write(json(page).getBytes(StandardCharsets.UTF_8)); // not closed: the container owns the stream
    }

    static String json(ChangePage page) {
        StringBuilder b = new StringBuilder(64 + 200 * page.records().size());
        InstantText times = new InstantText();
        b.append("{\"count\":").append(page.count()).append(",\"records\":[");
        for (Change change : page.records()) {
            JsonText.escape(b.append("{\"ID\":"), change.id());
            times.append(b.append(",\"CreatedAt\":\""), change.createdAt());
            JsonText.escape(b.append("\",\"GUN\":"), change.gun());
            b.append(",\"Version\":").append(change.version());
            JsonText.escape(b.append(",\"SHA256\":"), change.sha256());
            JsonText.escape(b.append(",\"Category\":"), change.category());
            b.append("},");
        }
        if (!page.records().isEmpty()) {
            b.setLength(b.length() - 1);
        }
        return b.append("]}").toString();
    }
}
