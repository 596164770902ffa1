package web

import "testing"

func TestCheckAddr(t *testing.T) {
	for _, c := range []struct {
		addr        string
		public, bad bool
	}{
		{"127.0.0.1:8080", false, false},
		{"localhost:8080", false, false},
		{"[::1]:8080", false, false},
		{"127.0.0.1:0", false, false},
		{":8080", true, false},
		{"0.0.0.0:8080", true, false},
		{"[::]:8080", true, false},
		{"192.168.1.10:8080", true, false},
		{"example.org:80", true, false},
		{"nonsense", false, true},
		{":99999", false, true},
		{":-1", false, true},
		{":+80", false, true},
		{":http", false, true},
		{"host:port:extra", false, true},
		{"127.0.0.1:", false, true},
		{"", false, true},
		{"bad host:80", false, true},
		{"[::1]", false, true},
	} {
		public, err := CheckAddr(c.addr)
		if (err != nil) != c.bad || (err == nil && public != c.public) {
			t.Errorf("%q: public %v, error %v", c.addr, public, err)
		}
	}
}
