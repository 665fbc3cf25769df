package dev.berth.agent.images;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;

/**
 * Unpacks a root tree from a tar (plain, gzip or bzip2) without ever writing outside the target: no
 * absolute or {@code ..} entry, no entry through a symlink the archive made, hard links only to
 * files inside. Device nodes and FIFOs are skipped: nspawn gives a container its own {@code /dev}.
 */
final class TarUnpacker {

  /** What unpacking did, for the report. */
  record Unpacked(long entries, long skippedSpecial) {}

  Unpacked unpack(Path tarball, Path target) throws IOException {
    Files.createDirectories(target);
    long entries = 0;
    long skipped = 0;
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(tarball));
        TarArchiveInputStream tar = new TarArchiveInputStream(decompress(raw))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
          skipped++;
          continue;
        }
        Path path = inside(target, entry.getName());
        if (path.equals(target)) {
          applyMetadata(path, entry);
          continue;
        }
        refuseSymlinkParents(target, path.getParent());
        Files.createDirectories(path.getParent());
        if (entry.isDirectory()) {
          if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(path);
          }
        } else if (entry.isSymbolicLink()) {
          Files.deleteIfExists(path);
          Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else if (entry.isLink()) {
          Path source = inside(target, entry.getLinkName());
          refuseSymlinkParents(target, source);
          Files.deleteIfExists(path);
          Files.createLink(path, source);
          entries++;
          continue; // a hard link shares its target's inode, owner and mode
        } else if (entry.isFile()) {
          Files.deleteIfExists(path);
          Files.copy(tar, path);
        } else {
          skipped++;
          continue;
        }
        applyMetadata(path, entry);
        entries++;
      }
    }
    return new Unpacked(entries, skipped);
  }

  private static InputStream decompress(InputStream raw) throws IOException {
    try {
      String type = CompressorStreamFactory.detect(raw);
      if (type.equals(CompressorStreamFactory.GZIP) || type.equals(CompressorStreamFactory.BZIP2)) {
        return new CompressorStreamFactory().createCompressorInputStream(type, raw);
      }
      throw new IOException(
          "tarballs compressed with " + type + " are not supported; use gzip, bzip2 or none");
    } catch (CompressorException e) {
      return raw; // not compressed
    }
  }

  private static Path inside(Path target, String name) throws IOException {
    String clean = name.startsWith("./") ? name.substring(2) : name;
    if (clean.startsWith("/")) {
      throw new IOException("tarball entry " + name + " is absolute; refusing to unpack");
    }
    for (String segment : clean.split("/")) {
      if (segment.equals("..")) {
        throw new IOException("tarball entry " + name + " leaves the root; refusing to unpack");
      }
    }
    Path path = target.resolve(clean).normalize();
    if (!path.startsWith(target)) {
      throw new IOException("tarball entry " + name + " leaves the root; refusing to unpack");
    }
    return path;
  }

  private static void refuseSymlinkParents(Path target, Path path) throws IOException {
    Path current = target;
    for (Path part : target.relativize(path)) {
      current = current.resolve(part);
      if (Files.isSymbolicLink(current)) {
        throw new IOException(
            "tarball entry below the symlink "
                + target.relativize(current)
                + " would be written outside the root; refusing to unpack");
      }
    }
  }

  private static void applyMetadata(Path path, TarArchiveEntry entry) throws IOException {
    LinkOption[] noFollow = {LinkOption.NOFOLLOW_LINKS};
    Files.setAttribute(path, "unix:uid", (int) entry.getLongUserId(), noFollow);
    Files.setAttribute(path, "unix:gid", (int) entry.getLongGroupId(), noFollow);
    if (!entry.isSymbolicLink()) {
      Files.setAttribute(path, "unix:mode", entry.getMode() & 07777);
      Files.setLastModifiedTime(path, FileTime.from(entry.getLastModifiedTime().toInstant()));
    }
  }
}
