// Expected<T>: a value or the ApiError that explains why there is none.
// Decoding and validation never throw, so the same code runs in wasm built without exceptions.
#pragma once

#include <utility>   // std::move
#include <variant>   // std::variant

#include "grove/errors.hpp"

namespace grove {

template <class T>
class Expected {
public:
    Expected(T value) : v_(std::move(value)) {}
    Expected(ApiError error) : v_(std::move(error)) {}

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    const T& value() const& { return std::get<0>(v_); }
    T& value() & { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    const T* operator->() const { return &std::get<0>(v_); }
    T* operator->() { return &std::get<0>(v_); }
    const ApiError& error() const { return std::get<1>(v_); }

private:
    std::variant<T, ApiError> v_;
};

}  // namespace grove
