#!/bin/sh
# Draws the OAuth Desk icon (a white key on a rounded indigo-to-sky square) with ImageMagick 6
# and writes every size tauri.conf.json lists. Run from anywhere: sh icons/generate.sh
set -eu
out="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

convert -size 1024x1024 xc:none -fill white -draw "roundrectangle 64,64 959,959 210,210" mask.png
convert -size 1024x1024 xc: -sparse-color barycentric '0,0 #5b4ee6 1023,1023 #1e9bd7' grad.png
convert grad.png mask.png -alpha off -compose CopyOpacity -composite bg.png

# Key: a ring (disc minus hole), a shaft and two bits, tilted 35 degrees, with a soft shadow.
convert -size 1024x1024 xc:none -fill white \
  -draw "circle 330,512 330,332" \
  -draw "roundrectangle 440,476 860,548 20,20" \
  -draw "rectangle 700,520 760,650" -draw "rectangle 800,520 850,620" key0.png
convert -size 1024x1024 xc:none -fill white -draw "circle 300,512 300,442" hole.png
convert key0.png hole.png -compose DstOut -composite key1.png
convert key1.png -background none -distort SRT '512,512 1 -35 512,512' key.png
convert key.png \( +clone -background '#00000060' -shadow 60x12+0+10 \) +swap -background none \
  -layers merge +repage -gravity center -crop 1024x1024+0+0 +repage keysh.png
convert bg.png keysh.png -gravity center -compose over -composite +repage PNG32:master.png

# Tauri wants 8-bit RGBA PNGs.
convert master.png -filter Lanczos -resize 32x32 PNG32:"$out/32x32.png"
convert master.png -filter Lanczos -resize 128x128 PNG32:"$out/128x128.png"
convert master.png -filter Lanczos -resize 256x256 PNG32:"$out/128x128@2x.png"
convert master.png -filter Lanczos -resize 512x512 PNG32:"$out/icon.png"
convert master.png -filter Lanczos -define icon:auto-resize=256,128,64,48,32,16 "$out/icon.ico"
