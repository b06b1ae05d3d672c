#pragma once

// RoomFilterModel: the room list narrowed by a search text, for QML.
// Keeps the source order (most recent first); a room matches when its name
// (RoomListModel::NameRole) contains every word of filterText, ignoring
// case. An empty filterText shows every room.

#include <QSortFilterProxyModel>

namespace natter::client {

class RoomFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_PROPERTY(QString filterText READ filterText WRITE setFilterText NOTIFY filterTextChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    explicit RoomFilterModel(QObject *parent = nullptr);

    QString filterText() const { return m_filterText; }
    void setFilterText(const QString &text);
    int count() const { return rowCount(); }
    // Source row of a proxy row (QML: open the room behind a filtered row).
    Q_INVOKABLE int sourceRow(int proxyRow) const;

signals:
    void filterTextChanged();
    void countChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_filterText;
    QStringList m_words;
};

} // namespace natter::client
