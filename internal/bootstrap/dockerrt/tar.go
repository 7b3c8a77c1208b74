package dockerrt

import (
	"archive/tar"
	"bytes"
	"fmt"
	"os"
	"strings"
)

// splitDestination cuts a destination such as C:\Windows\ecswin-1f\rb.exe
// into the existing folder the archive is extracted into (C:\Windows), and
// the new folder and file it carries (ecswin-1f, rb.exe). Only the new
// folder is in the archive, so the extraction touches nothing that was
// there before.
func splitDestination(dst string) (parent, folder, file string, err error) {
	p := strings.ReplaceAll(dst, "/", `\`)
	i := strings.LastIndexByte(p, '\\')
	if i <= 0 || i == len(p)-1 {
		return "", "", "", fmt.Errorf("destination %q names no file in a folder", dst)
	}
	file, p = p[i+1:], p[:i]
	j := strings.LastIndexByte(p, '\\')
	if j < 0 || j == len(p)-1 {
		return "", "", "", fmt.Errorf("destination %q has no folder to create under an existing one", dst)
	}
	folder, parent = p[j+1:], p[:j]
	if parent == "" || strings.HasSuffix(parent, ":") {
		parent += `\`
	}
	return parent, folder, file, nil
}

// tarFile builds an archive holding the folder and the file of dst.
func tarFile(src, folder, file string) ([]byte, error) {
	data, err := os.ReadFile(src)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", src, err)
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: folder + "/", Mode: 0o755}); err != nil {
		return nil, fmt.Errorf("archiving %s: %w", folder, err)
	}
	name := folder + "/" + file
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
