package org.registryaudit.auth.control;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.registryaudit.problems.boundary.InvalidRequestException;

/**
 * One requested scope of the registry token protocol, {@code type:name:actions}, for example
 * {@code repository:library/alpine:pull,push} or {@code registry:catalog:*}. The name may itself
 * hold a colon (a {@code host:port} prefix), so type is the first field and actions the last.
 */
public record Scope(String type, String name, List<String> actions) {

    public static Scope parse(String text) {
        int first = text.indexOf(':');
        int last = text.lastIndexOf(':');
        if (first <= 0 || last == first || last == text.length() - 1 || first + 1 == last) {
            throw new InvalidRequestException("scope '" + text + "' is not of the form type:name:actions, "
                    + "for example repository:library/alpine:pull,push");
        }
        List<String> actions =
                new ArrayList<>(Arrays.asList(text.substring(last + 1).split(",")));
        actions.removeIf(String::isBlank);
        return new Scope(text.substring(0, first), text.substring(first + 1, last), actions);
    }

    /** The scope as the client wrote it. */
    public String text() {
        return type + ":" + name + ":" + String.join(",", actions);
    }

    /** The {@code access} claim entry granting the given actions. */
    public Map<String, Object> claim(List<String> granted) {
        return Map.of("type", type, "name", name, "actions", granted);
    }
}
