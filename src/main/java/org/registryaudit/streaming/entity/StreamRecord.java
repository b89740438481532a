package org.registryaudit.streaming.entity;

/**
 * One record as it is streamed: the event's id (receivers drop repeats by it), its category (the
 * Azure table), and the archive's JSON record of it, from which every format is made.
 */
public record StreamRecord(String id, String category, String json) {}
