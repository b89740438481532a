package org.registryaudit.platform.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;

import jakarta.json.Json;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-written JSON strings read back as exactly what was written, whatever the characters. */
class JsonTextTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "plain",
                "201 \"quoted\" and a\nnewline",
                "back\\slash",
                "tab\tcr\rff\fbell\u0007nul\u0000",
                "unicode é ☃ 😀",
                "\u001f\u007f",
                ""
            })
    void escapesSoThatAJsonParserReadsTheSameString(String value) {
        StringBuilder json = new StringBuilder("{\"v\":");
        JsonText.escape(json, value);
        json.append('}');
        assertEquals(
                value,
                Json.createReader(new StringReader(json.toString()))
                        .readObject()
                        .getString("v"));
    }
}
