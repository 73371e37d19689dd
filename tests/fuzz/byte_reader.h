// SPDX-License-Identifier: GPL-3.0-or-later
// Draws typed choices from a fuzzer's bytes, for the structured harnesses.
// Past the end every draw is the lowest choice, so short inputs stay valid.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

namespace fuzz {

class ByteReader {
public:
    ByteReader(const unsigned char* data, std::size_t size) : data_(data), size_(size) {}

    std::uint64_t bits(int bytes)
    {
        std::uint64_t v = 0;
        for (int i = 0; i < bytes && pos_ < size_; ++i)
            v = (v << 8) | data_[pos_++];
        return v;
    }
    bool flag() { return bits(1) & 1; }
    // A whole number in [lo, hi] (hi - lo below 2^32).
    std::int64_t range(std::int64_t lo, std::int64_t hi)
    {
        const auto span = static_cast<std::uint64_t>(hi - lo) + 1;
        return lo + static_cast<std::int64_t>(bits(span <= 256 ? 1 : span <= 65536 ? 2 : 4) % span);
    }
    std::int32_t int32() { return static_cast<std::int32_t>(static_cast<std::uint32_t>(bits(4))); }
    double real(double lo, double hi) { return lo + (hi - lo) * (static_cast<double>(bits(4)) / 4294967295.0); }
    std::string text(std::size_t maxLength)
    {
        const std::size_t n = static_cast<std::size_t>(range(0, static_cast<std::int64_t>(maxLength)));
        std::string s;
        while (s.size() < n && pos_ < size_)
            s.push_back(static_cast<char>(data_[pos_++]));
        return s;
    }

private:
    const unsigned char* data_;
    std::size_t size_;
    std::size_t pos_ = 0;
};

} // namespace fuzz
