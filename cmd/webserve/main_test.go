package main

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// webserve builds the command into a temporary folder.
func webserve(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "webserve")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func siteDir(t *testing.T) string {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("<!doctype html>"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// A bad -addr: one line on stderr, exit status 2, before listening.
func TestBadAddr(t *testing.T) {
	bin := webserve(t)
	dir := siteDir(t)
	for _, addr := range []string{"nonsense", ":99999", "host:port:extra", "127.0.0.1:", ":http", ""} {
		cmd := exec.Command(bin, "-dir", dir, "-addr", addr)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		done := make(chan error, 1)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go func() { done <- cmd.Wait() }()
		var err error
		select {
		case err = <-done:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
			t.Fatalf("-addr %q: still running", addr)
		}
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 2 {
			t.Errorf("-addr %q: %v, want exit status 2", addr, err)
		}
		lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
		if len(lines) != 1 || !strings.HasPrefix(lines[0], "webserve: -addr") || stdout.Len() != 0 {
			t.Errorf("-addr %q: stderr %q, stdout %q; want one line", addr, stderr.String(), stdout.String())
		}
	}
}

// By default the server listens on loopback and says nothing more; an
// address open to the network gets a warning.
func TestListen(t *testing.T) {
	bin := webserve(t)
	dir := siteDir(t)
	for _, c := range []struct {
		args          []string
		addr, warning string
	}{
		{nil, "127.0.0.1:8080", ""},
		{[]string{"-addr", "127.0.0.1:0"}, "127.0.0.1:", ""},
		{[]string{"-addr", ":0"}, "[::]:", "reachable from the network"},
		{[]string{"-addr", "0.0.0.0:0"}, "", "reachable from the network"}, // shown as [::] or 0.0.0.0
	} {
		cmd := exec.Command(bin, append([]string{"-dir", dir}, c.args...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line := make(chan string, 1)
		go func() {
			s, _ := bufio.NewReader(out).ReadString('\n')
			line <- s
		}()
		var got string
		select {
		case got = <-line:
		case <-time.After(20 * time.Second):
		}
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if c.args == nil && strings.Contains(stderr.String(), "address already in use") {
			t.Log("port 8080 is taken here: the default address is", stderr.String())
			continue
		}
		if !strings.Contains(got, "at http://"+c.addr) {
			t.Errorf("%v: printed %q (stderr %q), want the address %s", c.args, got, stderr.String(), c.addr)
		}
		warned := strings.TrimSpace(stderr.String())
		if (c.warning == "") != (warned == "") || !strings.Contains(warned, c.warning) || strings.Count(warned, "\n") > 0 {
			t.Errorf("%v: stderr %q, want a warning containing %q", c.args, warned, c.warning)
		}
	}
}
