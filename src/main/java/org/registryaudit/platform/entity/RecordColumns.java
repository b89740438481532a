package org.registryaudit.platform.entity;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.json.bind.annotation.JsonbProperty;

/**
 * The values of a wire record by column name: its components under their {@link JsonbProperty}
 * names, which are the Azure column names. Read through method handles found once per record
 * type: streaming asks this for every event it stores, where serializing the record with JSON-B and
 * parsing the text again cost a tenth of the server's samples.
 */
public final class RecordColumns {

    private record Component(String column, MethodHandle accessor) {}

    private static final Map<Class<?>, List<Component>> COMPONENTS = new ConcurrentHashMap<>();

    private RecordColumns() {}

    public static Map<String, Object> of(Record record) {
        List<Component> components = COMPONENTS.computeIfAbsent(record.getClass(), RecordColumns::components);
        Map<String, Object> columns = new HashMap<>(components.size() * 2);
        try {
            for (Component c : components) {
                columns.put(c.column(), c.accessor().invoke(record));
            }
        } catch (Throwable e) {
            throw new IllegalStateException("cannot read " + record.getClass().getSimpleName(), e);
        }
        return columns;
    }

    private static List<Component> components(Class<?> type) {
        List<Component> components = new ArrayList<>();
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        for (RecordComponent component : type.getRecordComponents()) {
            // on the accessor: the annotation's targets do not include record components
            JsonbProperty property = component.getAccessor().getAnnotation(JsonbProperty.class);
            try {
                components.add(new Component(
                        property != null ? property.value() : component.getName(),
                        lookup.unreflect(component.getAccessor())));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(type.getSimpleName() + " is not public", e);
            }
        }
        return List.copyOf(components);
    }
}
