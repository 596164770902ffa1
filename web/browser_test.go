package web

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"text/template"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// chromium finds a Chromium to drive, or "".
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// needChromium returns the browser to drive, or skips the test when there
// is none (outside CI; in CI that is a failure).
func needChromium(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a browser")
	}
	chrome := chromium()
	if chrome == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("no Chromium on PATH: make deps installs Debian's chromium")
		}
		t.Skip("no Chromium on PATH: make deps installs Debian's chromium")
	}
	return chrome
}

// browser starts headless Chromium with WebGL drawn by SwiftShader and no
// network beyond the test's server; cancel stops it.
func browser(t *testing.T, chrome string, extra ...chromedp.ExecAllocatorOption) (context.Context, context.CancelFunc) {
	opts := append([]chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chrome),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 720),
		chromedp.Flag("use-angle", "swiftshader"),
		chromedp.Flag("enable-unsafe-swiftshader", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
	}, extra...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	return ctx, func() { cancel(); cancelAlloc() }
}

// The web build in a real browser: headless Chromium draws the app with
// SwiftShader's WebGL. The site is built and served as make web and make
// serve do.
func TestBrowser(t *testing.T) {
	chrome := needChromium(t)
	dir := builtSite(t).Dir
	srv := httptest.NewServer(Handler(dir))
	defer srv.Close()

	ctx, cancel := browser(t, chrome)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 4*time.Minute)
	defer cancelTimeout()

	state := func(field string) string {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[any]("window.inferplayState && window.inferplayState."+field))
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(v)
	}
	// until waits for a JavaScript condition to hold.
	until := func(cond string, d time.Duration) chromedp.Action[chromedp.Void] {
		return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			_, err := chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(d))(ctx, tg)
			return chromedp.Void{}, err
		}
	}
	// INFERPLAY_SHOTS=DIR keeps a screenshot of each step, to look at.
	snap := func(name string) {
		dir := os.Getenv("INFERPLAY_SHOTS")
		if dir == "" {
			return
		}
		if png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
			_ = os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
		}
	}
	running := until("!!(window.inferplayState && window.inferplayState.frames > 0)", 90*time.Second)

	// It starts, and reports a frame: how long from navigation to there.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/?scene=prompt&beat=5"), running); err != nil {
		t.Fatalf("the app never reported a frame: %v (error on the page: %s)", err, pageError(ctx))
	}
	first, err := chromedp.Run(ctx, chromedp.Evaluate[float64]("window.inferplayFirstFrame"))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("navigation to first frame: %.0f ms", first)

	// The canvas is drawn, not blank.
	if err := chromedp.Do(ctx, chromedp.Sleep(time.Second)); err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatal(err)
	}
	colours := map[[3]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
		}
	}
	if len(colours) < 20 {
		t.Fatalf("the page shows %d colours: a blank canvas?", len(colours))
	}
	snap("1-prompt")

	// PgDn past the prompt scene's last beat goes to the next scene, and the
	// address bar follows without a reload.
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.PageDown), until(`window.inferplayState.scene === "kvcache"`, 20*time.Second)); err != nil {
		t.Fatalf("PgDn: still on %s (%v)", state("scene"), err)
	}
	if err := chromedp.Do(ctx, until(`location.search.startsWith("?scene=kvcache")`, 10*time.Second)); err != nil {
		search, _ := chromedp.Run(ctx, chromedp.Evaluate[string]("location.search"))
		t.Fatalf("the address bar did not follow: %q (%v)", search, err)
	}
	snap("2-pgdn")

	// A shared link opens the scene, policy, seed and mode it names.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/?scene=contention&scheduler=mlfq&seed=7&presenter=1"), running); err != nil {
		t.Fatalf("link: %v (error on the page: %s)", err, pageError(ctx))
	}
	for field, want := range map[string]string{"scene": "contention", "policy": "mlfq", "seed": "7", "presenter": "true", "status": "seed 7 · mlfq · timing roofline"} {
		if got := state(field); got != want {
			t.Errorf("link: %s is %s, want %s", field, got, want)
		}
	}
	_ = chromedp.Do(ctx, chromedp.Sleep(2*time.Second))
	snap("3-link")

	// ?duel= splits the playground in two, and its link keeps the duel.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/?duel=fcfs,srpt"), running); err != nil {
		t.Fatalf("duel: %v (error on the page: %s)", err, pageError(ctx))
	}
	if got := state("status"); got != "seed 42 · fcfs vs srpt · timing roofline" || state("scene") != "playground" {
		t.Errorf("duel: on %s, status %q", state("scene"), got)
	}
	if link := state("link"); !strings.Contains(link, "duel=fcfs%2Csrpt") {
		t.Errorf("duel: link %q", link)
	}
	_ = chromedp.Do(ctx, chromedp.Sleep(2*time.Second))
	snap("4-duel")

	// A bad parameter says what is wrong, on the page.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/?scene=lobby"), until("!!window.inferplayError", 90*time.Second)); err != nil {
		t.Fatalf("bad parameter: %v", err)
	}
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.getElementById("error")).display`))
	if err != nil {
		t.Fatal(err)
	}
	detail, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("error-detail").textContent`))
	if err != nil {
		t.Fatal(err)
	}
	snap("5-bad-link")
	if shown != "flex" || !strings.Contains(detail, `scene: "lobby" is not valid`) || !strings.Contains(detail, "contention") {
		t.Errorf("bad parameter: error box %s, %q", shown, detail)
	}
}

// The page says what went wrong when the module cannot be fetched, and
// when the browser has no WebGL 2.
func TestBrowserFailures(t *testing.T) {
	chrome := needChromium(t)
	// A site whose module is missing: the page alone, as a half-finished
	// upload would leave it.
	dir := t.TempDir()
	var page bytes.Buffer
	if err := template.Must(template.New("index").Parse(indexHTML)).Execute(&page, map[string]any{"Wasm": WasmName, "WasmSize": 1}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "index.html"), page.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(Handler(dir))
	defer srv.Close()
	for _, c := range []struct {
		flags []chromedp.ExecAllocatorOption
		want  string
	}{
		{nil, "could not be loaded: inferplay.wasm: the server answered 404"},
		{[]chromedp.ExecAllocatorOption{chromedp.Flag("disable-webgl2", true)}, "cannot draw the simulator: It needs WebGL 2"},
	} {
		ctx, cancel := browser(t, chrome, c.flags...)
		err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"), func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			_, err := chromedp.Poll[bool]("!!window.inferplayError", chromedp.WithPollingTimeout(30*time.Second))(ctx, tg)
			return chromedp.Void{}, err
		})
		got := pageError(ctx)
		cancel()
		if err != nil || !strings.Contains(got, c.want) {
			t.Errorf("page error %q (%v), want %q", got, err, c.want)
		}
	}
}

var (
	buildOnce sync.Once
	built     Site
	buildErr  error
	buildTmp  string
)

// builtSite builds the site once for every test that needs it, as make
// web does (a minute or so: brotli at quality 11).
func builtSite(t *testing.T) Site {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the web version")
	}
	buildOnce.Do(func() {
		buildTmp, buildErr = os.MkdirTemp("", "website")
		if buildErr == nil {
			built, buildErr = Build("..", buildTmp)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return built
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildTmp != "" {
		os.RemoveAll(buildTmp)
	}
	os.Exit(code)
}

// INFERPLAY_FIRST_FRAME=N loads the built site N times with each of the
// module's encodings, in a fresh browser each time, and logs the median
// time from navigation to the first frame (the README's figures).
func TestFirstFrame(t *testing.T) {
	runs, _ := strconv.Atoi(os.Getenv("INFERPLAY_FIRST_FRAME"))
	if runs <= 0 {
		t.Skip("INFERPLAY_FIRST_FRAME=N measures")
	}
	chrome := needChromium(t)
	dir := builtSite(t).Dir
	for _, enc := range []string{"br", "gzip", "identity"} {
		// The browser's own Accept-Encoding is replaced, to choose the copy.
		h := Handler(dir)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Header.Set("Accept-Encoding", enc)
			h.ServeHTTP(w, r)
		}))
		var ms []float64
		for range runs {
			ctx, cancel := browser(t, chrome)
			ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
			err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"), func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
				_, err := chromedp.Poll[bool]("!!(window.inferplayState && window.inferplayState.frames > 0)", chromedp.WithPollingTimeout(90*time.Second))(ctx, tg)
				return chromedp.Void{}, err
			})
			var first float64
			if err == nil {
				first, err = chromedp.Run(ctx, chromedp.Evaluate[float64]("window.inferplayFirstFrame"))
			}
			cancelTimeout()
			cancel()
			if err != nil {
				t.Fatalf("%s: %v", enc, err)
			}
			ms = append(ms, first)
		}
		srv.Close()
		sort.Float64s(ms)
		t.Logf("%s: first frame after %.0f ms (median of %d; %v)", enc, ms[len(ms)/2], runs, ms)
	}
}

// pageError is the error the page shows, if any.
func pageError(ctx context.Context) string {
	s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`String(window.inferplayError || "none")`))
	return s
}
