package io.openautoglm.server.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Confines the server-side paths of job sources to the data folder ({@code autoglm.server.data-dir}): a path is
 * resolved against the folder and normalised, and refused when it leads outside, whether by {@code ..}, by being
 * absolute elsewhere, or through a symbolic link that points out of the folder. Immutable, thread-safe.
 */
public final class DataPaths {
    private final Path root;

    public DataPaths(Path dataDir) {
        this.root = dataDir.toAbsolutePath().normalize();
    }

    /** The data folder, absolute and normalised. */
    public Path root() {
        return root;
    }

    /**
     * The real path of a regular file inside the data folder.
     *
     * @throws ApiException {@link ErrorCode#PATH_FORBIDDEN} when the path leads outside the folder,
     *                      {@link ErrorCode#SOURCE_INVALID} when there is no such file
     */
    public Path resolve(String requested) {
        if (requested == null || requested.isBlank()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "source.path: required (a file under the data folder)");
        }
        Path p;
        try {
            p = root.resolve(requested).normalize();
        } catch (InvalidPathException e) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "source.path: not a valid path");
        }
        if (!p.startsWith(root) || p.equals(root)) {
            throw outside(requested);
        }
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.exists(p)) {
            throw new ApiException(
                    ErrorCode.SOURCE_INVALID,
                    "source.path: no such file under the data folder (autoglm.server.data-dir): " + requested);
        }
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new ApiException(
                    ErrorCode.SOURCE_INVALID,
                    "source.path: the data folder " + root + " (autoglm.server.data-dir) does not exist");
        }
        Path real;
        try {
            real = p.toRealPath();
        } catch (IOException e) {
            // a dangling link: where it points is not ours to say
            throw outside(requested);
        }
        if (!real.startsWith(realRoot)) {
            throw outside(requested);
        }
        if (!Files.isRegularFile(real)) {
            throw new ApiException(ErrorCode.SOURCE_INVALID, "source.path: not a regular file: " + requested);
        }
        return real;
    }

    private static ApiException outside(String requested) {
        return new ApiException(
                ErrorCode.PATH_FORBIDDEN,
                "source.path: " + requested + " leads outside the data folder (autoglm.server.data-dir); give a "
                        + "path relative to it, without .. and without links that point out of it");
    }
}
