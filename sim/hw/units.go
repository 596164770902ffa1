package hw

import (
	"strconv"
	"strings"
)

// Byte sizes. Spec sheets quote memory in decimal gigabytes (an "80 GB" H100
// has 80e9 bytes of HBM for our purposes), so the simulator uses decimal GB
// throughout and says so wherever it prints a size.
const (
	KB = 1e3
	MB = 1e6
	GB = 1e9
	TB = 1e12
)

// FormatBytes renders a byte count the way the UI and CLI print sizes: three
// significant figures or so, trailing zeros dropped ("80 GB", "9.54 GB").
func FormatBytes(b int64) string {
	v, unit := float64(b), "B"
	for _, u := range []struct {
		size float64
		name string
	}{{TB, "TB"}, {GB, "GB"}, {MB, "MB"}, {KB, "KB"}} {
		if v >= u.size {
			v, unit = v/u.size, u.name
			break
		}
	}
	digits := 2
	if v >= 100 {
		digits = 1
	}
	s := strconv.FormatFloat(v, 'f', digits, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s + " " + unit
}

// FormatKiB renders a per-token KV size in binary units, as model cards
// quote it ("128 KiB").
func FormatKiB(b int64) string {
	return strconv.FormatFloat(float64(b)/1024, 'f', -1, 64) + " KiB"
}
