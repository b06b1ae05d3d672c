#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

namespace natter::server {

// The frames one event has been encoded into, keyed by dialect. Built once per
// fan-out: the first session of a dialect encodes, the others share the
// implicitly shared result.
class FrameCache
{
public:
    // The frame as it goes on the wire (UTF-8): every recipient's transport
    // queues this one array, nobody converts or copies it again.
    template<typename Encode>
    QByteArray frame(QLatin1StringView dialect, Encode &&encode)
    {
        auto it = m_frames.find(dialect);
        if (it == m_frames.end())
            it = m_frames.insert(dialect, QString(encode()).toUtf8());
        return it.value();
    }
    // For dialects that wrap a shared part differently per recipient (cable's
    // identifier per subscription): the text, encoded once.
    template<typename Encode>
    QString text(QLatin1StringView dialect, Encode &&encode)
    {
        auto it = m_texts.find(dialect);
        if (it == m_texts.end())
            it = m_texts.insert(dialect, encode());
        return it.value();
    }
    qsizetype encodedCount() const { return m_frames.size() + m_texts.size(); }

private:
    QHash<QLatin1StringView, QByteArray> m_frames;
    QHash<QLatin1StringView, QString> m_texts;
};

} // namespace natter::server
