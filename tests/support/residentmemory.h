#pragma once

// This process's resident memory (VmRSS), for tests and benchmarks that
// measure what connections cost.

#include <QByteArray>
#include <QFile>
#include <QString>

namespace natter::test {

// KiB resident now; -1 where /proc cannot tell.
inline qint64 residentKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

} // namespace natter::test
