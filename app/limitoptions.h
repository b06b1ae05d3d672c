#pragma once

// The server's limits as options of `natter --headless` (README "Limits and
// hardening"): one table of name, meaning, range and where the value goes.

#include "serverconfig.h"

#include <QCommandLineParser>
#include <functional>
#include <vector>

namespace natter::app {

class LimitOptions
{
public:
    LimitOptions();
    void addTo(QCommandLineParser &parser) const;
    // Sets what was given; false (with `error`) for a value out of range.
    bool apply(const QCommandLineParser &parser, server::ServerConfig &config, QString *error) const;

private:
    struct Limit
    {
        QCommandLineOption option;
        qint64 minimum;
        qint64 maximum;
        std::function<void(server::ServerConfig &, qint64)> set;
    };
    std::vector<Limit> m_limits;
};

} // namespace natter::app
