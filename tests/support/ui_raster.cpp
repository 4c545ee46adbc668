#include "ui_raster.hpp"

#include <algorithm>   // std::min, std::max
#include <cmath>       // std::floor
#include <cstdio>      // std::FILE

#include <imgui.h>

namespace grove::testing {

unsigned Image::at(int x, int y) const {
    const std::size_t i = (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)) * 3;
    return (unsigned(rgb[i]) << 16) | (unsigned(rgb[i + 1]) << 8) | rgb[i + 2];
}

namespace {

struct Texture {
    const unsigned char* px = nullptr;
    int w = 0, h = 0;
    void sample(float u, float v, float out[4]) const {
        int x = static_cast<int>(u * static_cast<float>(w)), y = static_cast<int>(v * static_cast<float>(h));
        x = std::clamp(x, 0, w - 1);
        y = std::clamp(y, 0, h - 1);
        const unsigned char* p = px + (static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)) * 4;
        for (int i = 0; i < 4; ++i) out[i] = p[i] / 255.0f;
    }
};

// Edge function with the top-left rule, so pixels on a shared edge are drawn once.
struct Edge {
    float a, b, c;
    bool top_left;
    Edge(ImVec2 p, ImVec2 q) {
        a = p.y - q.y;
        b = q.x - p.x;
        c = p.x * q.y - p.y * q.x;
        top_left = (a > 0) || (a == 0 && b < 0);
    }
    float at(float x, float y) const { return a * x + b * y + c; }
    bool inside(float v) const { return v > 0 || (v == 0 && top_left); }
};

void triangle(std::vector<float>& fb, int W, int H, const ImDrawVert& v0, const ImDrawVert& v1_in,
              const ImDrawVert& v2_in, const ImVec4& clip, const Texture& tex) {
    const ImDrawVert* v1 = &v1_in;
    const ImDrawVert* v2 = &v2_in;
    float area = (v1->pos.x - v0.pos.x) * (v2->pos.y - v0.pos.y) - (v1->pos.y - v0.pos.y) * (v2->pos.x - v0.pos.x);
    if (area == 0) return;
    if (area < 0) {   // counter-clockwise in screen space: swap to make the edges agree
        std::swap(v1, v2);
        area = -area;
    }
    const Edge e0(v1->pos, v2->pos), e1(v2->pos, v0.pos), e2(v0.pos, v1->pos);
    const int x0 = std::max(0, static_cast<int>(std::floor(std::max(clip.x, std::min({v0.pos.x, v1->pos.x, v2->pos.x})))));
    const int y0 = std::max(0, static_cast<int>(std::floor(std::max(clip.y, std::min({v0.pos.y, v1->pos.y, v2->pos.y})))));
    const int x1 = std::min(W, static_cast<int>(std::ceil(std::min(clip.z, std::max({v0.pos.x, v1->pos.x, v2->pos.x})))));
    const int y1 = std::min(H, static_cast<int>(std::ceil(std::min(clip.w, std::max({v0.pos.y, v1->pos.y, v2->pos.y})))));
    const ImDrawVert* vs[3] = {&v0, v1, v2};
    float col[3][4];
    for (int k = 0; k < 3; ++k) {
        const ImU32 c = vs[k]->col;
        col[k][0] = ((c >> IM_COL32_R_SHIFT) & 0xFF) / 255.0f;
        col[k][1] = ((c >> IM_COL32_G_SHIFT) & 0xFF) / 255.0f;
        col[k][2] = ((c >> IM_COL32_B_SHIFT) & 0xFF) / 255.0f;
        col[k][3] = ((c >> IM_COL32_A_SHIFT) & 0xFF) / 255.0f;
    }
    for (int y = y0; y < y1; ++y) {
        for (int x = x0; x < x1; ++x) {
            const float px = x + 0.5f, py = y + 0.5f;
            const float w0 = e0.at(px, py), w1 = e1.at(px, py), w2 = e2.at(px, py);
            if (!e0.inside(w0) || !e1.inside(w1) || !e2.inside(w2)) continue;
            const float b0 = w0 / area, b1 = w1 / area, b2 = w2 / area;
            const float u = b0 * vs[0]->uv.x + b1 * vs[1]->uv.x + b2 * vs[2]->uv.x;
            const float v = b0 * vs[0]->uv.y + b1 * vs[1]->uv.y + b2 * vs[2]->uv.y;
            float t[4];
            tex.sample(u, v, t);
            float c[4];
            for (int i = 0; i < 4; ++i) c[i] = (b0 * col[0][i] + b1 * col[1][i] + b2 * col[2][i]) * t[i];
            float* d = &fb[(static_cast<std::size_t>(y) * static_cast<std::size_t>(W) + static_cast<std::size_t>(x)) * 3];
            for (int i = 0; i < 3; ++i) d[i] = c[i] * c[3] + d[i] * (1.0f - c[3]);
        }
    }
}

std::uint32_t crc32(const std::uint8_t* data, std::size_t n, std::uint32_t crc = 0) {
    static std::uint32_t table[256];
    static bool ready = false;
    if (!ready) {
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        ready = true;
    }
    crc = ~crc;
    for (std::size_t i = 0; i < n; ++i) crc = table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

void put32(std::vector<std::uint8_t>& out, std::uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<std::uint8_t>(v >> s));
}

void chunk(std::vector<std::uint8_t>& out, const char* type, const std::vector<std::uint8_t>& data) {
    put32(out, static_cast<std::uint32_t>(data.size()));
    std::vector<std::uint8_t> body(type, type + 4);
    body.insert(body.end(), data.begin(), data.end());
    out.insert(out.end(), body.begin(), body.end());
    put32(out, crc32(body.data(), body.size()));
}

}  // namespace

Image rasterize(const ImDrawData* dd, unsigned background) {
    Image img;
    img.width = static_cast<int>(dd->DisplaySize.x);
    img.height = static_cast<int>(dd->DisplaySize.y);
    const int W = img.width, H = img.height;
    std::vector<float> fb(static_cast<std::size_t>(W) * static_cast<std::size_t>(H) * 3);
    for (std::size_t i = 0; i < fb.size(); i += 3) {
        fb[i] = ((background >> 16) & 0xFF) / 255.0f;
        fb[i + 1] = ((background >> 8) & 0xFF) / 255.0f;
        fb[i + 2] = (background & 0xFF) / 255.0f;
    }
    Texture tex;
    unsigned char* px = nullptr;
    ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&px, &tex.w, &tex.h);
    tex.px = px;
    const ImVec2 off = dd->DisplayPos;
    for (int n = 0; n < dd->CmdListsCount; ++n) {
        const ImDrawList* cl = dd->CmdLists[n];
        for (const ImDrawCmd& cmd : cl->CmdBuffer) {
            if (cmd.UserCallback) continue;
            const ImVec4 clip(cmd.ClipRect.x - off.x, cmd.ClipRect.y - off.y, cmd.ClipRect.z - off.x, cmd.ClipRect.w - off.y);
            for (unsigned i = 0; i + 2 < cmd.ElemCount; i += 3) {
                const ImDrawIdx* idx = cl->IdxBuffer.Data + cmd.IdxOffset + i;
                const ImDrawVert* vb = cl->VtxBuffer.Data + cmd.VtxOffset;
                triangle(fb, W, H, vb[idx[0]], vb[idx[1]], vb[idx[2]], clip, tex);
            }
        }
    }
    img.rgb.resize(fb.size());
    for (std::size_t i = 0; i < fb.size(); ++i) img.rgb[i] = static_cast<std::uint8_t>(std::clamp(fb[i], 0.0f, 1.0f) * 255.0f + 0.5f);
    return img;
}

bool write_png(const Image& img, const std::string& path) {
    std::vector<std::uint8_t> out = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    std::vector<std::uint8_t> ihdr;
    put32(ihdr, static_cast<std::uint32_t>(img.width));
    put32(ihdr, static_cast<std::uint32_t>(img.height));
    ihdr.insert(ihdr.end(), {8, 2, 0, 0, 0});   // 8-bit RGB
    chunk(out, "IHDR", ihdr);
    // Raw scanlines (filter 0) in stored deflate blocks: no compression library needed.
    std::vector<std::uint8_t> raw;
    const std::size_t row = static_cast<std::size_t>(img.width) * 3;
    for (int y = 0; y < img.height; ++y) {
        raw.push_back(0);
        raw.insert(raw.end(), img.rgb.begin() + static_cast<long>(y * row), img.rgb.begin() + static_cast<long>((y + 1) * row));
    }
    std::vector<std::uint8_t> z = {0x78, 0x01};
    std::uint32_t a = 1, b = 0;
    for (std::uint8_t v : raw) {
        a = (a + v) % 65521;
        b = (b + a) % 65521;
    }
    for (std::size_t pos = 0; pos < raw.size() || pos == 0;) {
        const std::size_t n = std::min<std::size_t>(65535, raw.size() - pos);
        const bool last = pos + n >= raw.size();
        z.push_back(last ? 1 : 0);
        z.push_back(static_cast<std::uint8_t>(n & 0xFF));
        z.push_back(static_cast<std::uint8_t>(n >> 8));
        z.push_back(static_cast<std::uint8_t>(~n & 0xFF));
        z.push_back(static_cast<std::uint8_t>((~n >> 8) & 0xFF));
        z.insert(z.end(), raw.begin() + static_cast<long>(pos), raw.begin() + static_cast<long>(pos + n));
        pos += n;
        if (last) break;
    }
    put32(z, (b << 16) | a);
    chunk(out, "IDAT", z);
    chunk(out, "IEND", {});
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return false;
    const bool ok = std::fwrite(out.data(), 1, out.size(), f) == out.size();
    return std::fclose(f) == 0 && ok;
}

}  // namespace grove::testing
