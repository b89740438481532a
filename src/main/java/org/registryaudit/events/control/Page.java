package org.registryaudit.events.control;

import java.util.List;

/** One page of results, newest first; {@code next} is the cursor of the following page, null on the last. */
public record Page<T>(List<T> items, String next) {}
