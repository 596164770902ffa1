package web

import (
	"bytes"
	"testing"
)

// module builds a module with the given data segments (offset, bytes) and
// a custom section after them.
func module(segs ...segment) []byte {
	var sec []byte
	sec = appendULEB(sec, uint64(len(segs)))
	for _, s := range segs {
		sec = append(sec, 0, 0x41)
		sec = appendSLEB(sec, s.offset)
		sec = append(sec, 0x0b)
		sec = appendULEB(sec, uint64(len(s.data)))
		sec = append(sec, s.data...)
	}
	mod := []byte("\x00asm\x01\x00\x00\x00")
	mod = append(mod, 5, 3, 1, 0, 1) // memory: one, at least one page
	mod = append(mod, 11)
	mod = appendULEB(mod, uint64(len(sec)))
	mod = append(mod, sec...)
	return append(mod, 0, 4, 3, 'e', 'n', 'd')
}

func TestMergeDataSegments(t *testing.T) {
	in := module(segment{300, []byte("far")}, segment{10, []byte("ab")}, segment{14, []byte("cd")}, segment{100000, []byte("z")})
	got := mergeDataSegments(in, 100)
	want := module(segment{10, []byte("ab\x00\x00cd")}, segment{300, []byte("far")}, segment{100000, []byte("z")})
	if !bytes.Equal(got, want) {
		t.Errorf("merged:\n%q\nwant\n%q", got, want)
	}
	// Large offsets and a one-segment result.
	big := module(segment{1 << 40, []byte("x")}, segment{1<<40 + 3, []byte("y")})
	if got, want := mergeDataSegments(big, 1<<20), module(segment{1 << 40, []byte("x\x00\x00y")}); !bytes.Equal(got, want) {
		t.Errorf("large offsets: %q", got)
	}
	// What it does not know is left alone.
	for name, mod := range map[string][]byte{
		"overlap":   module(segment{10, []byte("abcd")}, segment{12, []byte("x")}),
		"truncated": in[:len(in)-20],
		"not wasm":  []byte("hello, world"),
		"passive":   append([]byte("\x00asm\x01\x00\x00\x00"), 11, 4, 1, 1, 1, 'x'),
	} {
		if got := mergeDataSegments(mod, 100); !bytes.Equal(got, mod) {
			t.Errorf("%s: changed", name)
		}
	}
}

func TestTrimSheetLayout(t *testing.T) {
	if _, err := trimSheet([]byte("not lz4")); err == nil {
		t.Error("no error for a sheet that is not LZ4")
	}
	if !blankRow(0x4e) || !blankRow(0x9f) || !blankRow(0xac) || !blankRow(0xd7) || blankRow(0x00) || blankRow(0x20) || blankRow(0x30) || blankRow(0xff) {
		t.Error("blankRow: not the CJK Unified Ideographs and Hangul Syllables")
	}
}
