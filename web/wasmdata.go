package web

import (
	"bytes"
	"cmp"
	"errors"
	"slices"
)

// mergeDataSegments rewrites a WebAssembly module's data section so that
// active segments less than maxGap bytes apart become one segment, the gap
// between them filled with zeros. The memory holds zeros there already, so
// the module's meaning does not change. Go's linker splits its data at
// every run of zeros, into as many as 100,000 segments; each costs a header
// (an offset and a length) that compresses poorly, while a run of zeros
// costs almost nothing once compressed.
//
// A module whose data the function does not recognise (passive segments,
// an offset that is not a constant, a data count section, overlapping
// segments) is returned unchanged.
func mergeDataSegments(mod []byte, maxGap int) []byte {
	out, err := rewriteData(mod, maxGap)
	if err != nil {
		return mod
	}
	return out
}

var errUnsupported = errors.New("unsupported module")

type segment struct {
	offset int64
	data   []byte
}

func rewriteData(mod []byte, maxGap int) ([]byte, error) {
	if len(mod) < 8 || !bytes.Equal(mod[:8], []byte("\x00asm\x01\x00\x00\x00")) {
		return nil, errUnsupported
	}
	out := append([]byte(nil), mod[:8]...)
	for r := (reader{b: mod, i: 8}); r.i < len(mod); {
		start := r.i
		id := r.byte()
		size := int(r.uleb())
		if r.err != nil || size > len(mod)-r.i {
			return nil, errUnsupported
		}
		body := mod[r.i : r.i+size]
		r.i += size
		switch id {
		case 12: // data count: would have to agree with the new count
			return nil, errUnsupported
		case 11:
			segs, err := parseData(body)
			if err != nil {
				return nil, err
			}
			merged := mergeSegments(segs, maxGap)
			var sec []byte
			sec = appendULEB(sec, uint64(len(merged)))
			for _, s := range merged {
				sec = append(sec, 0, 0x41) // active, memory 0; i32.const
				sec = appendSLEB(sec, s.offset)
				sec = append(sec, 0x0b) // end
				sec = appendULEB(sec, uint64(len(s.data)))
				sec = append(sec, s.data...)
			}
			out = append(out, 11)
			out = appendULEB(out, uint64(len(sec)))
			out = append(out, sec...)
		default:
			out = append(out, mod[start:r.i]...)
		}
	}
	return out, nil
}

func parseData(body []byte) ([]segment, error) {
	r := reader{b: body}
	n := r.uleb()
	var segs []segment
	for k := uint64(0); k < n && r.err == nil; k++ {
		if r.uleb() != 0 || r.byte() != 0x41 {
			return nil, errUnsupported
		}
		off := r.sleb()
		if r.byte() != 0x0b {
			return nil, errUnsupported
		}
		l := int(r.uleb())
		if r.err != nil || off < 0 || l > len(body)-r.i {
			return nil, errUnsupported
		}
		segs = append(segs, segment{off, body[r.i : r.i+l]})
		r.i += l
	}
	if r.err != nil || r.i != len(body) {
		return nil, errUnsupported
	}
	// Segments that do not overlap can be written in any order: sorted, the
	// neighbours in memory are neighbours in the list.
	slices.SortStableFunc(segs, func(a, b segment) int { return cmp.Compare(a.offset, b.offset) })
	for i := 1; i < len(segs); i++ {
		if segs[i].offset < segs[i-1].offset+int64(len(segs[i-1].data)) {
			return nil, errUnsupported
		}
	}
	return segs, nil
}

func mergeSegments(segs []segment, maxGap int) []segment {
	var out []segment
	for i := 0; i < len(segs); {
		j := i + 1
		end := segs[i].offset + int64(len(segs[i].data))
		for j < len(segs) && segs[j].offset-end < int64(maxGap) {
			end = segs[j].offset + int64(len(segs[j].data))
			j++
		}
		if j == i+1 {
			out = append(out, segs[i])
		} else {
			data := make([]byte, end-segs[i].offset)
			for _, s := range segs[i:j] {
				copy(data[s.offset-segs[i].offset:], s.data)
			}
			out = append(out, segment{segs[i].offset, data})
		}
		i = j
	}
	return out
}

// reader reads a module's LEB128 numbers and bytes; err is set, and stays
// set, once it runs past the end.
type reader struct {
	b   []byte
	i   int
	err error
}

func (r *reader) byte() byte {
	if r.i >= len(r.b) {
		r.err = errUnsupported
		return 0
	}
	c := r.b[r.i]
	r.i++
	return c
}

func (r *reader) uleb() uint64 {
	var v uint64
	for shift := uint(0); shift < 64; shift += 7 {
		c := r.byte()
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			return v
		}
	}
	r.err = errUnsupported
	return 0
}

func (r *reader) sleb() int64 {
	var v int64
	var shift uint
	for shift < 64 {
		c := r.byte()
		v |= int64(c&0x7f) << shift
		shift += 7
		if c&0x80 == 0 {
			if shift < 64 && c&0x40 != 0 {
				v |= -1 << shift
			}
			return v
		}
	}
	r.err = errUnsupported
	return 0
}

func appendULEB(b []byte, v uint64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

func appendSLEB(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}
