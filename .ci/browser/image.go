package main

import (
	"bytes"
	"fmt"
	"image/png"
)

// notBlank decodes a PNG screenshot, checks its size, and checks that it shows
// something: at least 5% of its pixels not near-white, and at least 32 colours. A
// blank page, or one that failed to style or draw, has one or two colours.
func notBlank(shot []byte, width, height int) (string, error) {
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		return "", fmt.Errorf("not a PNG: %w", err)
	}
	b := img.Bounds()
	if b.Dx() != width || b.Dy() != height {
		return "", fmt.Errorf("%d×%d pixels, want %d×%d", b.Dx(), b.Dy(), width, height)
	}
	colours := map[uint64]bool{}
	inked := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if len(colours) < 1<<16 {
				colours[uint64(r)<<32|uint64(g)<<16|uint64(bl)] = true
			}
			if r < 0xf000 || g < 0xf000 || bl < 0xf000 {
				inked++
			}
		}
	}
	share := float64(inked) / float64(b.Dx()*b.Dy())
	look := fmt.Sprintf("%d colours, %.1f%% of the pixels not near-white", len(colours), 100*share)
	if share < 0.05 || len(colours) < 32 {
		return "", fmt.Errorf("looks blank: %s (want at least 5%% and 32 colours)", look)
	}
	return look, nil
}
