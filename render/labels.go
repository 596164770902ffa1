package render

import "fmt"

// label is a request's short name on screen, "R12". The first few thousand
// are made once, so drawing them every frame allocates nothing.
func label(id int) string {
	if id >= 0 && id < len(labels) {
		return labels[id]
	}
	return fmt.Sprintf("R%d", id)
}

var labels = func() (l [4096]string) {
	for i := range l {
		l[i] = fmt.Sprintf("R%d", i)
	}
	return l
}()

// Thousands writes a count with thousands separators: 20,000.
func Thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + Thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
