package web

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// DefaultAddr is where the server listens unless told otherwise: this
// machine only.
const DefaultAddr = "127.0.0.1:8080"

// CheckAddr validates a listen address, host:port, before anything
// listens on it, and says whether it reaches beyond this machine: an
// empty host, 0.0.0.0 or :: (every interface) or any address that is not
// a loopback one. The port is a number from 0 to 65535; the host is empty,
// an IP address, or a name.
func CheckAddr(addr string) (public bool, err error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return false, fmt.Errorf("-addr %q: want host:port, as in %s or :8080", addr, DefaultAddr)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 || strings.HasPrefix(port, "+") {
		return false, fmt.Errorf("-addr %q: the port must be a number from 0 to 65535", addr)
	}
	if host == "" {
		return true, nil
	}
	if ip := net.ParseIP(host); ip != nil {
		return !ip.IsLoopback(), nil
	}
	if strings.EqualFold(host, "localhost") {
		return false, nil
	}
	if strings.ContainsAny(host, " /:%") || strings.Trim(host, ".-") == "" {
		return false, fmt.Errorf("-addr %q: %q is not a host name or address", addr, host)
	}
	return true, nil
}
