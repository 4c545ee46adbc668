// A small software rasterizer for ImGui draw data (textured, vertex-coloured triangles with
// clip rectangles, alpha-blended like the OpenGL backend), and a PNG writer, so headless frames
// can be looked at and compared without a GPU.
#pragma once

#include <cstdint>   // std::uint8_t
#include <string>    // std::string
#include <vector>    // std::vector

struct ImDrawData;

namespace grove::testing {

struct Image {
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgb;   // width * height * 3
    unsigned at(int x, int y) const;   // 0xRRGGBB
};

// Renders draw data over `background` (0xRRGGBB) using the font atlas of the current context.
Image rasterize(const ImDrawData* data, unsigned background);
bool write_png(const Image& image, const std::string& path);

}  // namespace grove::testing
