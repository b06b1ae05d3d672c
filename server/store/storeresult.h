#pragma once

// What a write answers: the value, or the error that kept it from being made.
// The error travels with the answer, so nobody has to remember to read a
// lastError() after the call (std::expected's shape; C++20 has none). Reads
// like std::optional where only success matters.

#include <QString>
#include <optional>
#include <utility>

namespace natter::server {

enum class StoreError {
    None,
    Conflict, // a unique key already exists (username, membership…)
    NotFound,
    Database, // the database refused or failed; details in the error text
};

template<typename T>
class StoreResult
{
public:
    StoreResult(T value) : m_value(std::move(value)) { }
    static StoreResult failure(StoreError error, QString text = {})
    {
        StoreResult result;
        result.m_error = error == StoreError::None ? StoreError::Database : error;
        result.m_errorText = std::move(text);
        return result;
    }

    bool has_value() const { return m_value.has_value(); }
    explicit operator bool() const { return has_value(); }
    T &operator*() { return *m_value; }
    const T &operator*() const { return *m_value; }
    T *operator->() { return &*m_value; }
    const T *operator->() const { return &*m_value; }
    const T &value() const { return m_value.value(); }
    T value_or(T fallback) const { return m_value.value_or(std::move(fallback)); }
    operator std::optional<T>() const { return m_value; }

    // None when there is a value.
    StoreError error() const { return m_error; }
    QString errorText() const { return m_errorText; }

private:
    StoreResult() = default;
    std::optional<T> m_value;
    StoreError m_error = StoreError::None;
    QString m_errorText;
};

} // namespace natter::server
