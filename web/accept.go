package web

import (
	"strconv"
	"strings"
)

// Negotiate picks the content coding to send, among the compressed forms
// a file has (have: "br", "gzip") and the file itself ("identity"), from a
// request's Accept-Encoding header (RFC 9110, 12.5.3): of the compressed
// forms the client accepts, the one with the higher q-value, brotli on a
// tie; the file itself when it accepts neither. Codings
// are case-insensitive, "*" stands for every coding not named, q=0 refuses
// one, and identity is acceptable unless refused by name or by "*;q=0". An
// empty or missing header accepts identity only. ok is false when nothing
// the file has is acceptable (the server's 406).
func Negotiate(header string, have []string) (coding string, ok bool) {
	q := ParseAcceptEncoding(header)
	qOf := func(c string) float64 {
		if v, named := q[c]; named {
			return v
		}
		if v, star := q["*"]; star {
			return v
		}
		if c == "identity" {
			return 1
		}
		return 0
	}
	best, bestQ := "", 0.0
	for _, c := range []string{"br", "gzip"} {
		has := false
		for _, h := range have {
			has = has || h == c
		}
		if has && qOf(c) > bestQ {
			best, bestQ = c, qOf(c)
		}
	}
	if best != "" {
		return best, true
	}
	return "identity", qOf("identity") > 0
}

// ParseAcceptEncoding reads an Accept-Encoding header into each coding's
// q-value (lower case; 1 when not given). A malformed q-value counts as 0,
// as does a coding named twice with different values, the lower one.
func ParseAcceptEncoding(header string) map[string]float64 {
	q := map[string]float64{}
	for _, item := range strings.Split(header, ",") {
		params := strings.Split(item, ";")
		coding := strings.ToLower(strings.TrimSpace(params[0]))
		if coding == "" {
			continue
		}
		v := 1.0
		for _, p := range params[1:] {
			k, val, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.ToLower(strings.TrimSpace(k)) != "q" {
				continue
			}
			v = parseQ(strings.TrimSpace(val))
		}
		if old, seen := q[coding]; !seen || v < old {
			q[coding] = v
		}
	}
	return q
}

// parseQ reads a qvalue: 0 to 1 with at most three decimals; anything else
// is 0.
func parseQ(s string) float64 {
	if s == "" || len(s) > 5 || (s[0] != '0' && s[0] != '1') {
		return 0
	}
	if len(s) > 1 && s[1] != '.' {
		return 0
	}
	for _, c := range s[min(2, len(s)):] {
		if c < '0' || c > '9' {
			return 0
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || v > 1 {
		return 0
	}
	return v
}
