package render

import (
	"bytes"
	"image/color"
	"math"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"inferplay/assets"
)

// Kit holds what every widget draws with: the theme, a white pixel to draw
// rectangles from (one source image, so Ebitengine batches them), the fonts
// and the UI scale. One Kit per view; nothing here is global.
type Kit struct {
	Theme *Theme
	// Scale multiplies every size: 1 at 1920×1080.
	Scale float64
	// MinText raises smaller text to this size (at 1920×1080; 0: none), and
	// Thick multiplies line widths: presenter mode sets both, for a hall.
	MinText float64
	Thick   float64
	// MinPx is the least pixel size of any text, whatever the scale:
	// presenter mode keeps type readable on a small projector.
	MinPx float64

	white   *ebiten.Image
	disc    *ebiten.Image // a white disc, drawn scaled and tinted
	regular *text.GoTextFaceSource
	bold    *text.GoTextFaceSource
	faces   map[faceKey]*text.GoTextFace
	// Shaping text is the costliest part of a frame, and most lines are the
	// same from one frame to the next: widths, fitted lines and wrapped
	// paragraphs are remembered (and forgotten wholesale when many).
	widths  map[textKey]float64
	fitted  map[textKey]string
	wrapped map[textKey][]string
	op      ebiten.DrawImageOptions
	textOp  text.DrawOptions
	rec     *Recording
}

// Recording is what a kit drew while recording: every line of text with
// its box and size, and every panel and frame. Layout tests read it to
// check that text sits inside its panel, overlaps no other text and is
// never too small to read.
type Recording struct {
	Texts []DrawnText
	Boxes []Rect
	// Covers are opaque cards and tags drawn over what came before them:
	// the text they hide is hidden, not overlapped.
	Covers []Cover
}

// Cover is an opaque box drawn after the first After texts.
type Cover struct {
	Box   Rect
	After int
}

// Occlude records that an opaque box is drawn over everything drawn so
// far (for layout tests; it draws nothing).
func (k *Kit) Occlude(r Rect) {
	if k.rec != nil {
		k.rec.Covers = append(k.rec.Covers, Cover{r, len(k.rec.Texts)})
	}
}

// DrawnText is one line of text as drawn.
type DrawnText struct {
	S    string
	Box  Rect    // in pixels
	Size float64 // the size asked for at 1920×1080, after the minimum
	Px   int     // the pixel size drawn
}

// Record starts recording into r (nil stops).
func (k *Kit) Record(r *Recording) { k.rec = r }

type faceKey struct {
	size int
	bold bool
}

// NewKit loads the embedded typeface (see package assets: one made for
// reading at a distance).
func NewKit(theme *Theme) (*Kit, error) {
	reg, err := text.NewGoTextFaceSource(bytes.NewReader(assets.Regular))
	if err != nil {
		return nil, err
	}
	bold, err := text.NewGoTextFaceSource(bytes.NewReader(assets.Bold))
	if err != nil {
		return nil, err
	}
	white := ebiten.NewImage(3, 3)
	white.Fill(color.White)
	disc := ebiten.NewImage(discSize, discSize)
	vector.FillCircle(disc, discSize/2, discSize/2, discSize/2-1, color.White, true)
	return &Kit{Theme: theme, Scale: 1, Thick: 1, white: white.SubImage(white.Bounds().Inset(1)).(*ebiten.Image),
		disc: disc, regular: reg, bold: bold, faces: map[faceKey]*text.GoTextFace{},
		widths: map[textKey]float64{}, fitted: map[textKey]string{}, wrapped: map[textKey][]string{}}, nil
}

const discSize = 64

// Disc fills a circle inscribed in the square at (x, y) of side d.
func (k *Kit) Disc(dst *ebiten.Image, x, y, d float64, c color.RGBA) {
	k.op.GeoM.Reset()
	k.op.GeoM.Scale(d/discSize, d/discSize)
	k.op.GeoM.Translate(x, y)
	k.op.ColorScale.Reset()
	tint(&k.op.ColorScale, c)
	k.op.Filter = ebiten.FilterLinear
	dst.DrawImage(k.disc, &k.op)
	k.op.Filter = ebiten.FilterNearest
}

// Px converts a size at 1920×1080 to pixels at the current scale.
func (k *Kit) Px(v float64) float64 { return v * k.Scale }

// Face returns a font face of a size given at 1920×1080 (scaled), cached.
func (k *Kit) Face(size float64, bold bool) *text.GoTextFace {
	px := int(math.Round(max(max(size, k.MinText)*k.Scale, k.MinPx)))
	key := faceKey{max(px, 6), bold}
	if f, ok := k.faces[key]; ok {
		return f
	}
	src := k.regular
	if bold {
		src = k.bold
	}
	f := &text.GoTextFace{Source: src, Size: float64(key.size)}
	k.faces[key] = f
	return f
}

// Rect fills a rectangle.
func (k *Kit) Rect(dst *ebiten.Image, x, y, w, h float64, c color.RGBA) {
	if w <= 0 || h <= 0 {
		return
	}
	k.op.GeoM.Reset()
	k.op.GeoM.Scale(w, h)
	k.op.GeoM.Translate(x, y)
	k.op.ColorScale.Reset()
	tint(&k.op.ColorScale, c)
	dst.DrawImage(k.white, &k.op)
}

// Frame strokes a rectangle's outline with a line of width t.
func (k *Kit) Frame(dst *ebiten.Image, x, y, w, h, t float64, c color.RGBA) {
	if k.rec != nil {
		k.rec.Boxes = append(k.rec.Boxes, Rect{x, y, w, h})
	}
	t *= max(k.Thick, 1)
	k.Rect(dst, x, y, w, t, c)
	k.Rect(dst, x, y+h-t, w, t, c)
	k.Rect(dst, x, y, t, h, c)
	k.Rect(dst, x+w-t, y, t, h, c)
}

// tint scales a colour scale by a premultiplied colour. It takes the struct,
// not a color.Color, so that no colour is boxed into an interface (an
// allocation) on every draw.
func tint(cs *ebiten.ColorScale, c color.RGBA) {
	cs.Scale(float32(c.R)/255, float32(c.G)/255, float32(c.B)/255, float32(c.A)/255)
}

// Align places text relative to its anchor point.
type Align int

const (
	Left Align = iota
	Center
	Right
)

// Text draws a line of text with its top at y.
func (k *Kit) Text(dst *ebiten.Image, s string, x, y float64, size float64, bold bool, c color.RGBA, align Align) {
	face := k.Face(size, bold)
	k.textOp.GeoM.Reset()
	switch align {
	case Center:
		x -= text.Advance(s, face) / 2
	case Right:
		x -= text.Advance(s, face)
	}
	k.textOp.GeoM.Translate(math.Round(x), math.Round(y))
	if k.rec != nil {
		m := face.Metrics()
		k.rec.Texts = append(k.rec.Texts, DrawnText{s, Rect{math.Round(x), math.Round(y), text.Advance(s, face), m.HAscent + m.HDescent},
			max(size, k.MinText), int(face.Size)})
	}
	k.textOp.ColorScale.Reset()
	tint(&k.textOp.ColorScale, c)
	text.Draw(dst, s, face, &k.textOp)
}

// textKey names a piece of laid-out text: the string, the face it is set
// in (its pixel size) and, for fitting and wrapping, the width.
type textKey struct {
	s     string
	px    int
	bold  bool
	width float64
}

// textCacheMax bounds each cache; past it the cache starts over.
const textCacheMax = 4096

func (k *Kit) key(s string, size float64, bold bool, width float64) textKey {
	return textKey{s, int(math.Round(max(max(size, k.MinText)*k.Scale, k.MinPx))), bold, width}
}

// TextWidth is the width a line of text takes.
func (k *Kit) TextWidth(s string, size float64, bold bool) float64 {
	key := k.key(s, size, bold, 0)
	if w, ok := k.widths[key]; ok {
		return w
	}
	if len(k.widths) >= textCacheMax {
		clear(k.widths)
	}
	w := text.Advance(s, k.Face(size, bold))
	k.widths[key] = w
	return w
}

// Fit shortens s with an ellipsis until it fits in width.
func (k *Kit) Fit(s string, width, size float64, bold bool) string {
	if k.TextWidth(s, size, bold) <= width {
		return s
	}
	key := k.key(s, size, bold, width)
	if f, ok := k.fitted[key]; ok {
		return f
	}
	if len(k.fitted) >= textCacheMax {
		clear(k.fitted)
	}
	face := k.Face(size, bold)
	// The longest prefix that fits with its ellipsis, by bisection.
	r := []rune(s)
	lo, hi := 1, len(r)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if text.Advance(string(r[:mid])+"…", face) <= width {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	f := string(r[:lo]) + "…"
	k.fitted[key] = f
	return f
}

// Panel draws a titled panel background and returns the content area's top.
func (k *Kit) Panel(dst *ebiten.Image, x, y, w, h float64, title string) float64 {
	k.Rect(dst, x, y, w, h, k.Theme.Panel)
	k.Frame(dst, x, y, w, h, max(1, k.Px(1.5)), k.Theme.Edge)
	if title == "" {
		return y + k.Px(10)
	}
	k.Text(dst, title, x+k.Px(14), y+k.Px(8), 22, true, k.Theme.Text, Left)
	return y + k.PanelTitle()
}

// PanelTitle is the height a panel's title takes, down to its content.
func (k *Kit) PanelTitle() float64 { return max(k.Px(42), k.Px(12)+k.LineHeight(22)) }

// Wrap breaks s into lines no wider than width, at spaces.
// The lines returned are shared: callers must not change them.
func (k *Kit) Wrap(s string, width, size float64, bold bool) []string {
	key := k.key(s, size, bold, width)
	if lines, ok := k.wrapped[key]; ok {
		return lines
	}
	if len(k.wrapped) >= textCacheMax {
		clear(k.wrapped)
	}
	lines := k.wrap(s, width, size, bold)
	k.wrapped[key] = lines
	return lines
}

func (k *Kit) wrap(s string, width, size float64, bold bool) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		try := word
		if line != "" {
			try = line + " " + word
		}
		if line != "" && k.TextWidth(try, size, bold) > width {
			lines = append(lines, line)
			try = word
		}
		line = try
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// LineHeight is the distance between lines of text of a size, in pixels.
func (k *Kit) LineHeight(size float64) float64 {
	return max(k.Px(max(size, k.MinText)), k.MinPx) * 1.3
}

// Paragraph draws wrapped text from (x, y) and returns the y below it. At
// most maxLines lines are drawn; the last is cut with an ellipsis.
func (k *Kit) Paragraph(dst *ebiten.Image, s string, x, y, width, size float64, bold bool, c color.RGBA, maxLines int) float64 {
	lines := k.Wrap(s, width, size, bold)
	for i, l := range lines {
		if maxLines > 0 && i == maxLines-1 && len(lines) > maxLines {
			k.Text(dst, k.Fit(strings.Join(lines[i:], " "), width, size, bold), x, y, size, bold, c, Left)
			return y + k.LineHeight(size)
		}
		k.Text(dst, l, x, y, size, bold, c, Left)
		y += k.LineHeight(size)
	}
	return y
}
