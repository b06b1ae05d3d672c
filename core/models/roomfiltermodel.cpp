#include "roomfiltermodel.h"

#include "roomlistmodel.h"

namespace natter::client {

RoomFilterModel::RoomFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
    setFilterRole(RoomListModel::NameRole);
    connect(this, &QAbstractItemModel::rowsInserted, this, &RoomFilterModel::countChanged);
    connect(this, &QAbstractItemModel::rowsRemoved, this, &RoomFilterModel::countChanged);
    connect(this, &QAbstractItemModel::modelReset, this, &RoomFilterModel::countChanged);
    connect(this, &QAbstractItemModel::layoutChanged, this, &RoomFilterModel::countChanged);
}

void RoomFilterModel::setFilterText(const QString &text)
{
    if (text == m_filterText)
        return;
    m_filterText = text;
    m_words = text.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    invalidateFilter();
    emit filterTextChanged();
    emit countChanged();
}

int RoomFilterModel::sourceRow(int proxyRow) const
{
    const QModelIndex source = mapToSource(index(proxyRow, 0));
    return source.isValid() ? source.row() : -1;
}

bool RoomFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_words.isEmpty())
        return true;
    const QString name = sourceModel()->index(sourceRow, 0, sourceParent).data(filterRole()).toString();
    for (const QString &word : m_words) {
        if (!name.contains(word, Qt::CaseInsensitive))
            return false;
    }
    return true;
}

} // namespace natter::client
