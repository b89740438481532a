package org.registryaudit.archive.control;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * The content of one archive file on its way to disk: hashed (SHA-256) and counted as written,
 * then gzipped if asked, on a thread of its own, so that reading and formatting records and
 * compressing them run on two cores at once. Bounded: at most {@value #QUEUED} chunks of 64 KiB
 * wait, so memory stays flat. The file is created with the first chunk, so a part that finds no
 * records leaves nothing behind, even when the server is killed right then. {@link #close()}
 * returns once everything is in the file (not yet forced to disk) or throws what went wrong.
 */
final class ArchiveFileStream extends OutputStream {

    private static final int CHUNK = 65536;
    private static final int QUEUED = 16;
    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(QUEUED);
    private final MessageDigest sha = Archiver.sha256();
    private final Path file;
    private final boolean gzip;
    private final ThreadFactory threads;
    private Thread worker;
    private volatile Throwable failure;
    private byte[] buffer = new byte[CHUNK];
    private int used;
    private long count;
    private boolean closed;

    ArchiveFileStream(Path file, boolean gzip, ThreadFactory threads) {
        this.file = file;
        this.gzip = gzip;
        this.threads = threads;
    }

    private void drain(OutputStream out) {
        try (OutputStream file = gzip ? new GZIPOutputStream(out, CHUNK) : out) {
            for (byte[] chunk = chunks.take(); chunk != END; chunk = chunks.take()) {
                sha.update(chunk);
                count += chunk.length;
                file.write(chunk);
            }
        } catch (Throwable e) {
            failure = e;
        }
    }

    @Override
    public void write(int b) throws IOException {
        if (used == CHUNK) {
            pass();
        }
        buffer[used++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (used == CHUNK) {
                pass();
            }
            int n = Math.min(len, CHUNK - used);
            System.arraycopy(b, off, buffer, used, n);
            used += n;
            off += n;
            len -= n;
        }
    }

    private void pass() throws IOException {
        put(used == CHUNK ? buffer : Arrays.copyOf(buffer, used));
        buffer = new byte[CHUNK];
        used = 0;
    }

    private void put(byte[] chunk) throws IOException {
        if (worker == null) {
            OutputStream out = Files.newOutputStream(file);
            worker = threads.newThread(() -> drain(out));
            worker.start();
        }
        try {
            while (!chunks.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                if (failure != null || !worker.isAlive()) {
                    throw new IOException("writing the archive file failed", failure);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing the archive file");
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (used > 0) {
            pass();
        }
        if (worker == null) {
            return; // nothing was written, so there is no file
        }
        put(END);
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while finishing the archive file");
        }
        if (failure != null) {
            throw new IOException("writing the archive file failed", failure);
        }
    }

    /** The SHA-256 of the uncompressed content, once closed. */
    String sha256() {
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The size of the uncompressed content, once closed. */
    long bytes() {
        return count;
    }
}
