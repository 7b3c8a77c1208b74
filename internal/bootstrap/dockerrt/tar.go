package dockerrt

import (
	"archive/tar"
	"bytes"
	"fmt"
	"os"
	"path"
	"strings"
)

// archiveRoot is the folder the archive is extracted into: the drive root
// for a Windows path ("C:\"), else "/".
func archiveRoot(dst string) string {
	if len(dst) >= 2 && dst[1] == ':' {
		return dst[:2] + `\`
	}
	return "/"
}

// archivePath is dst relative to archiveRoot, with forward slashes.
func archivePath(dst string) string {
	p := strings.ReplaceAll(dst, `\`, "/")
	if len(p) >= 2 && p[1] == ':' {
		p = p[2:]
	}
	return strings.TrimLeft(p, "/")
}

// tarFile builds an archive holding src at dst and every folder above it,
// so CopyToContainer creates them (nanoserver images lack most folders).
func tarFile(src, dst string) ([]byte, error) {
	data, err := os.ReadFile(src)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", src, err)
	}
	name := archivePath(dst)
	if name == "" || strings.HasSuffix(name, "/") {
		return nil, fmt.Errorf("destination %q names no file", dst)
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	var dirs []string
	for d := path.Dir(name); d != "." && d != "/"; d = path.Dir(d) {
		dirs = append([]string{d}, dirs...)
	}
	for _, d := range dirs {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d + "/", Mode: 0o755}); err != nil {
			return nil, fmt.Errorf("archiving %s: %w", d, err)
		}
	}
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: 0o755, Size: int64(len(data))}); err != nil {
		return nil, fmt.Errorf("archiving %s: %w", name, err)
	}
	if _, err := tw.Write(data); err != nil {
		return nil, fmt.Errorf("archiving %s: %w", name, err)
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("archiving %s: %w", name, err)
	}
	return buf.Bytes(), nil
}
