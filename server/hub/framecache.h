#pragma once

#include <QHash>
#include <QString>

namespace natter::server {

// The frames one event has been encoded into, keyed by dialect. Built once per
// fan-out: the first session of a dialect encodes, the others share the
// (implicitly shared) string.
class FrameCache
{
public:
    template<typename Encode>
    QString frame(QLatin1StringView dialect, Encode &&encode)
    {
        auto it = m_frames.find(dialect);
        if (it == m_frames.end())
            it = m_frames.insert(dialect, encode());
        return it.value();
    }
    qsizetype encodedCount() const { return m_frames.size(); }

private:
    QHash<QLatin1StringView, QString> m_frames;
};

} // namespace natter::server
